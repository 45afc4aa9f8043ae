using ControlPlane.ML.Monitoring;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>PSI, Kolmogorov–Smirnov and chi-square against values worked out by hand.</summary>
public sealed class DriftStatisticsTests
{
    [Fact]
    public void Psi_of_four_bins_matches_the_hand_computation()
    {
        // Σ (a − e)·ln(a/e), e = 0.25 everywhere:
        //   (0.1 − 0.25)·ln(0.4) = 0.137444
        //   (0.2 − 0.25)·ln(0.8) = 0.011157
        //   (0.3 − 0.25)·ln(1.2) = 0.009116
        //   (0.4 − 0.25)·ln(1.6) = 0.070501
        //   PSI                  = 0.228217
        var psi = DriftStatistics.Psi([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4]);

        Assert.Equal(0.228217, psi, 6);
    }

    [Fact]
    public void Psi_replaces_an_empty_bin_by_epsilon_and_ignores_bins_empty_on_both_sides()
    {
        // Bin 2 goes from 0 to 10 %: (0.1 − 1e-4)·ln(0.1/1e-4) + (0.9 − 1)·ln(0.9) = 0.690085 + 0.010536 = 0.700621.
        var psi = DriftStatistics.Psi([1.0, 0, 0], [0.9, 0.1, 0]);

        Assert.Equal(0.700621, psi, 5);
        Assert.Equal(0, DriftStatistics.Psi([0.5, 0.5, 0], [0.5, 0.5, 0]));
    }

    [Fact]
    public void Ks_of_two_small_samples_matches_the_hand_computation()
    {
        // a = [1,2,3,4] (n = 4), b = [3,4,5,6,7] (m = 5). ECDFs after each value:
        //   x:   1     2     3     4     5     6     7
        //   Fa: .25   .50   .75   1     1     1     1
        //   Fb:  0     0    .20   .40   .60   .80   1
        //   |Δ|: .25  .50   .55   .60   .40   .20   0      → D = 0.6
        // n_e = 4·5/9 = 2.2222, λ = √n_e · D = 1.490712 · 0.6 = 0.894427, λ² = 0.8
        // p = 2·(e^(−2·0.8) − e^(−8·0.8) + e^(−18·0.8) − …) = 2·(0.2018965 − 0.0016616 + 0.0000006) = 0.400471
        var (d, p) = DriftStatistics.KolmogorovSmirnov([1, 2, 3, 4], [3, 4, 5, 6, 7]);

        Assert.Equal(0.6, d, 12);
        Assert.Equal(0.400471, p, 6);
    }

    [Fact]
    public void Ks_p_value_is_five_percent_at_the_tabled_critical_value()
    {
        // The Kolmogorov distribution's 95 % quantile is 1.3581: with n = m = 200 (n_e = 100), D = 0.13581 has p ≈ 0.05.
        Assert.Equal(0.05, DriftStatistics.KolmogorovPValue(0.13581, 200, 200), 4);
        Assert.Equal(1, DriftStatistics.KolmogorovPValue(0, 200, 200));
    }

    [Fact]
    public void Ks_on_bins_compares_the_cdfs_at_the_edges()
    {
        // Edges [1, 2]: bins ≤1, (1,2], >2. Baseline [5, 5, 0] → CDF .5, 1, 1; current [0, 5, 5] → CDF 0, .5, 1.
        // D = max(.5, .5, 0) = 0.5; n_e = 10·10/20 = 5, λ = √5 · 0.5 = 1.118034 → p = Q_KS(1.118) = 0.164079.
        var (d, p) = DriftStatistics.KolmogorovSmirnovBinned([1, 2], [5, 5, 0], [0, 5, 5]);

        Assert.Equal(0.5, d, 12);
        Assert.Equal(0.164079, p, 5);
    }

    [Fact]
    public void Chi_square_of_three_categories_matches_the_hand_computation()
    {
        // Expected 50/30/20 of 100, observed 40/35/25:
        //   (40−50)²/50 + (35−30)²/30 + (25−20)²/20 = 2 + 0.833333 + 1.25 = 4.083333, df = 3 − 1 = 2
        //   for df = 2 the survival is e^(−χ²/2) = e^(−2.041667) = 0.129812
        var (chi, df, p) = DriftStatistics.ChiSquare([50, 30, 20], [40, 35, 25]);

        Assert.Equal(4.083333, chi, 6);
        Assert.Equal(2, df);
        Assert.Equal(0.129812, p, 6);
    }

    [Fact]
    public void Chi_square_scales_expected_counts_to_the_observed_total()
    {
        // Baseline 500/300/200 is the same distribution as 50/30/20: same statistic on the same observation.
        Assert.Equal(4.083333, DriftStatistics.ChiSquare([500, 300, 200], [40, 35, 25]).ChiSquare, 6);
    }

    [Fact]
    public void Chi_square_pools_cells_expecting_fewer_than_five()
    {
        // Expected shares .5/.4/.06/.04 of 100 observed → 50, 40, 6, 4. The 4 is pooled with the next smallest (6) into 10,
        // so the cells are 50, 40, 10 (df 2). Observed 45, 40, 10+5 = 15: 25/50 + 0/40 + 25/10 = 3.0, p = e^(−1.5) = 0.223130.
        var (chi, df, p) = DriftStatistics.ChiSquare([50, 40, 6, 4], [45, 40, 10, 5]);

        Assert.Equal(3.0, chi, 9);
        Assert.Equal(2, df);
        Assert.Equal(0.223130, p, 6);
    }

    [Fact]
    public void Chi_square_survival_is_five_percent_at_the_tabled_critical_value()
    {
        // χ²(3) 95 % quantile 7.814728; χ²(10) 99 % quantile 23.209251.
        Assert.Equal(0.05, DriftStatistics.ChiSquareSurvival(7.814728, 3), 6);
        Assert.Equal(0.01, DriftStatistics.ChiSquareSurvival(23.209251, 10), 6);
    }
}
