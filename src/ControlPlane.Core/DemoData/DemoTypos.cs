using System.Text;

namespace ControlPlane.Core.DemoData;

/// <summary>Swapped and dropped letters, so text features must cope with noisy spelling.</summary>
internal static class DemoTypos
{
    public static void Apply(StringBuilder text, int count, DemoRandom rng)
    {
        for (var made = 0; made < count && text.Length > 4;)
        {
            var attempts = 0;
            while (attempts++ < 8)
            {
                var i = rng.Next(1, text.Length - 2);
                if (!IsWordLetter(text[i - 1]) || !IsWordLetter(text[i]) || !IsWordLetter(text[i + 1]))
                {
                    continue;
                }

                if (rng.Chance(0.6))
                {
                    (text[i], text[i + 1]) = (text[i + 1], text[i]);
                }
                else
                {
                    text.Remove(i, 1);
                }

                break;
            }

            made++;
        }
    }

    private static bool IsWordLetter(char c) => c is >= 'a' and <= 'z';
}
