namespace ControlPlane.ML.Monitoring;

/// <summary>
/// The two distribution tails the drift tests need, written out so that ControlPlane.ML takes no statistics package:
/// the Kolmogorov distribution's survival function and the regularized upper incomplete gamma function.
/// </summary>
internal static class SpecialFunctions
{
    /// <summary>
    /// Q_KS(λ) = P(K &gt; λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}. That series converges slowly for small λ, so below 1.18
    /// the equivalent form 1 − (√(2π)/λ) Σ e^{−(2k−1)²π²/(8λ²)} is used (both converge in a few terms in their range).
    /// </summary>
    public static double KolmogorovSurvival(double lambda)
    {
        if (double.IsNaN(lambda))
        {
            return double.NaN;
        }

        if (lambda <= 0)
        {
            return 1;
        }

        if (lambda < 1.18)
        {
            var y = Math.Exp(-Math.PI * Math.PI / (8 * lambda * lambda));
            var sum = 0.0;
            for (var k = 1; k <= 20; k++)
            {
                var term = Math.Pow(y, (2 * k - 1) * (2 * k - 1));
                sum += term;
                if (term < 1e-17 * sum)
                {
                    break;
                }
            }

            return Math.Clamp(1 - Math.Sqrt(2 * Math.PI) / lambda * sum, 0, 1);
        }

        var q = 0.0;
        var sign = 1.0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * lambda * lambda);
            q += sign * term;
            sign = -sign;
            if (term < 1e-17)
            {
                break;
            }
        }

        return Math.Clamp(2 * q, 0, 1);
    }

    /// <summary>
    /// Q(a, x) = Γ(a, x) / Γ(a): the series for P(a, x) below x &lt; a + 1, Lentz's continued fraction above
    /// (Numerical Recipes §6.2), each where it converges quickly. The chi-square survival is Q(df/2, χ²/2).
    /// </summary>
    public static double RegularizedUpperGamma(double a, double x)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(a);
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x <= 0)
        {
            return 1;
        }

        if (double.IsPositiveInfinity(x))
        {
            return 0;
        }

        var logPrefix = -x + a * Math.Log(x) - LogGamma(a);
        if (x < a + 1)
        {
            var term = 1.0 / a;
            var sum = term;
            for (var n = 1; n < 10_000; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * 1e-16)
                {
                    break;
                }
            }

            return Math.Clamp(1 - sum * Math.Exp(logPrefix), 0, 1);
        }

        const double tiny = 1e-300;
        var b = x + 1 - a;
        var c = 1 / tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 10_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = b + an / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Clamp(Math.Exp(logPrefix) * h, 0, 1);
    }

    /// <summary>ln Γ(x) for x &gt; 0 by the Lanczos approximation (g = 7, 9 coefficients; about 15 significant digits).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection keeps the approximation in its accurate range.
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++)
        {
            sum += Lanczos[i] / (x + i);
        }

        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
}
