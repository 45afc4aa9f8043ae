using System.Globalization;
using System.Text;

namespace ControlPlane.Core.DemoData;

/// <summary>Writes support-ticket subjects and bodies from intent phrases, tenant products and random details.</summary>
internal sealed class DemoTicketTextComposer
{
    private static readonly string[] Codes =
        ["ERR-4012", "E1042", "HTTP 502", "HTTP 503", "HTTP 500", "0x80070005", "TIMEOUT_30S", "AUTH_401", "SYNC-17"];

    private static readonly string[] Browsers = ["Chrome", "Safari", "Firefox", "Edge"];
    private static readonly string[] Whens = ["yesterday", "on Monday", "last week", "this morning", "two days ago", "last Friday"];
    private static readonly string[] Names = ["Anna", "Ben", "Carlos", "Dana", "Elif", "Farah", "Greg", "Hiro", "Ines", "Jonas", "Priya", "Sam"];
    private static readonly string[] Domains = ["example.com", "acme.io", "globex.net", "initech.com", "umbrella.org", "hooli.dev"];
    private static readonly string[] Plans = ["Starter", "Pro", "Business", "Team"];

    private readonly StringBuilder _text = new();
    private readonly IReadOnlyList<string> _products;
    private readonly string _currencySymbol;
    private readonly string[] _carriers;

    public DemoTicketTextComposer(DemoTenantStyle style, DemoRegion region)
    {
        _products = style.ProductNames;
        _currencySymbol = region.CurrencySymbol;
        _carriers = region.Key == "eu" ? ["DHL", "DPD", "GLS", "PostNL"] : ["UPS", "FedEx", "USPS", "DHL"];
    }

    public string Subject(string intent, int area, DemoRandom rng)
    {
        var template = rng.Chance(0.12) ? rng.Pick(DemoTicketPhrases.GenericSubjects) : rng.Pick(DemoTicketPhrases.ByIntent[intent].Subjects);
        _text.Clear();
        Fill(template, area, rng);
        if (rng.Chance(0.05))
        {
            DemoTypos.Apply(_text, 1, rng);
        }

        var subject = _text.ToString();
        return rng.NextDouble() switch
        {
            < 0.06 => subject.ToUpperInvariant(),
            < 0.14 => subject.ToLowerInvariant(),
            _ => subject,
        };
    }

    public string Body(string intent, int area, DemoRandom rng)
    {
        _text.Clear();
        if (rng.Chance(0.7))
        {
            _text.Append(rng.Pick(DemoTicketPhrases.Greetings)).Append("\n\n");
        }

        var sentences = DemoTicketPhrases.ByIntent[intent].Sentences;
        var count = Math.Min(sentences.Length, 1 + rng.Next(3) + (rng.Chance(0.2) ? 1 : 0));
        var first = rng.Next(sentences.Length);
        for (var s = 0; s < count; s++)
        {
            AppendSentence(sentences[(first + (s * 3)) % sentences.Length], area, rng);
        }

        // Some customers mention a second topic, which is what makes routing hard.
        if (rng.Chance(0.2))
        {
            var other = rng.Pick(DemoTicketSchema.Queues);
            AppendSentence(rng.Pick(DemoTicketPhrases.ByIntent[other].Sentences), area, rng);
        }

        if (rng.Chance(0.35))
        {
            AppendSentence(rng.Pick(DemoTicketPhrases.Extras), area, rng);
        }

        if (rng.Chance(0.65))
        {
            _text.Append("\n\n");
            Fill(rng.Pick(DemoTicketPhrases.Closings), area, rng);
        }

        if (rng.Chance(0.25))
        {
            DemoTypos.Apply(_text, rng.Chance(0.8) ? 1 : 2, rng);
        }

        return _text.ToString();
    }

    private void AppendSentence(string template, int area, DemoRandom rng)
    {
        if (_text.Length > 0 && _text[^1] != '\n')
        {
            _text.Append(rng.Chance(0.25) ? "\n" : " ");
        }

        Fill(template, area, rng);
    }

    private void Fill(string template, int area, DemoRandom rng)
    {
        var rest = template.AsSpan();
        int open;
        while ((open = rest.IndexOf('{')) >= 0)
        {
            var close = rest.IndexOf('}');
            _text.Append(rest[..open]);
            AppendSlot(rest[(open + 1)..close], area, rng);
            rest = rest[(close + 1)..];
        }

        _text.Append(rest);
    }

    private void AppendSlot(ReadOnlySpan<char> slot, int area, DemoRandom rng)
    {
        var text = _text;
        var inv = CultureInfo.InvariantCulture;
        _ = slot switch
        {
            "product" => text.Append(rng.Pick(_products)),
            "area" => text.Append(DemoTicketSchema.AreaNames[area]),
            "code" => text.Append(rng.Pick(Codes)),
            "invoice" => text.Append(inv, $"INV-{2024 + rng.Next(3)}-{rng.Next(10_000, 99_999)}"),
            "amount" => text.Append(_currencySymbol).Append(Math.Round(Math.Exp(rng.Normal(4.4, 1.1)), 2).ToString("N2", inv)),
            "when" => text.Append(rng.Pick(Whens)),
            "plan" => text.Append(rng.Pick(Plans)),
            "count" => text.Append(inv, $"{rng.Next(2, 250)}"),
            "card" => text.Append(inv, $"{rng.Next(1000, 10_000)}"),
            "email" => text.Append(rng.Pick(Names).ToLowerInvariant()).Append('@').Append(rng.Pick(Domains)),
            "browser" => text.Append(rng.Pick(Browsers)),
            "version" => text.Append(inv, $"v{rng.Next(3, 6)}.{rng.Next(10)}.{rng.Next(20)}"),
            "order" => text.Append(rng.Chance(0.5) ? "#" : "SO-").Append(inv, $"{rng.Next(100_000, 1_000_000)}"),
            "tracking" => text.Append(inv, $"1Z{rng.Next(10_000, 100_000)}{rng.Next(100_000, 1_000_000)}"),
            "carrier" => text.Append(rng.Pick(_carriers)),
            "name" => text.Append(rng.Pick(Names)),
            "reference" => text.Append(inv, $"CASE-{rng.Next(10_000, 100_000)}"),
            _ => throw new InvalidOperationException($"Unknown ticket slot '{slot}'."),
        };
    }
}
