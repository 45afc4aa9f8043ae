using System.Globalization;

namespace ControlPlane.Core.DemoData;

/// <summary>Entity keys in the tenant's format; unique by construction, not by retrying.</summary>
internal static class DemoEntityKeyFactory
{
    public static string[] Create(DemoKeyStyle style, string useCaseKey, DemoRandom rng, int count)
    {
        var keys = new string[count];
        switch (style)
        {
            case DemoKeyStyle.Prefixed:
                var prefix = rng.Pick(PrefixesFor(useCaseKey));
                var start = rng.Next(1000, 90_000);
                var format = "D" + Math.Max(6, (start + count).ToString(CultureInfo.InvariantCulture).Length).ToString(CultureInfo.InvariantCulture);
                for (var i = 0; i < count; i++)
                {
                    keys[i] = prefix + "-" + (start + i).ToString(format, CultureInfo.InvariantCulture);
                }

                break;
            case DemoKeyStyle.Numeric:
                // Auto-increment ids with gaps, as left behind by deleted records.
                long next = rng.Next(100_000, 9_000_000);
                for (var i = 0; i < count; i++)
                {
                    keys[i] = next.ToString(CultureInfo.InvariantCulture);
                    next += 1 + rng.Next(7);
                }

                break;
            default:
                // The first 64 bits are a bijection of the row index, so no two keys can collide.
                var salt = rng.NextUInt64();
                for (var i = 0; i < count; i++)
                {
                    var high = DemoStableHash.Mix(salt + (ulong)i);
                    var low = rng.NextUInt64();
                    keys[i] = string.Create(
                        CultureInfo.InvariantCulture,
                        $"{high >> 32:x8}-{(high >> 16) & 0xFFFF:x4}-{high & 0xFFFF:x4}-{low >> 48:x4}-{low & 0xFFFFFFFFFFFFUL:x12}");
                }

                break;
        }

        return keys;
    }

    private static string[] PrefixesFor(string useCaseKey) => useCaseKey switch
    {
        DemoUseCaseKeys.LeadScoring => ["L", "LD", "LEAD"],
        DemoUseCaseKeys.ChurnRisk => ["ACC", "A", "CUS"],
        _ => ["T", "TCK", "CS", "SR"],
    };
}
