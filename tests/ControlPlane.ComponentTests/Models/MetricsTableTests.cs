using Bunit;
using ControlPlane.Web.Components.Models;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ControlPlane.ComponentTests.Models;

/// <summary>The comparison's pictures from reports alone: deltas respect each metric's direction, one curve per version.</summary>
public sealed class MetricsTableTests : BunitContext
{
    public MetricsTableTests()
    {
        Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void A_higher_auc_is_better_and_a_higher_log_loss_is_worse()
    {
        var cut = Render<MetricsTable>(p => p.Add(x => x.Versions,
        [
            new VersionReport("v1", VersionColors.At(0), Reports.Binary(auc: 0.80, logLoss: 0.40)),
            new VersionReport("v2", VersionColors.At(1), Reports.Binary(auc: 0.85, logLoss: 0.45)),
        ]));

        var auc = cut.Find("tr[data-metric='auc'] td[data-version='v2'] .cp-delta");
        Assert.Equal("better", auc.GetAttribute("data-verdict"));
        Assert.Equal("+0.0500", auc.TextContent);
        Assert.Equal("worse", cut.Find("tr[data-metric='logLoss'] td[data-version='v2'] .cp-delta").GetAttribute("data-verdict"));
        Assert.Empty(cut.FindAll("td[data-version='v1'] .cp-delta"));
    }

    [Fact]
    public void A_lower_rmse_is_better()
    {
        var cut = Render<MetricsTable>(p => p.Add(x => x.Versions,
        [
            new VersionReport("v1", VersionColors.At(0), Reports.Regression(rmse: 2.0)),
            new VersionReport("v2", VersionColors.At(1), Reports.Regression(rmse: 1.5)),
            new VersionReport("v3", VersionColors.At(2), Reports.Regression(rmse: 2.5)),
        ]));

        Assert.Equal("better", cut.Find("tr[data-metric='rmse'] td[data-version='v2'] .cp-delta").GetAttribute("data-verdict"));
        Assert.Equal("worse", cut.Find("tr[data-metric='rmse'] td[data-version='v3'] .cp-delta").GetAttribute("data-verdict"));
        Assert.Contains("cp-delta-worse", cut.Find("tr[data-metric='rmse'] td[data-version='v3'] .cp-delta").ClassList);
    }

    [Fact]
    public void Curves_overlay_one_line_per_version_in_its_colour()
    {
        var cut = Render<ReportCharts>(p => p.Add(x => x.Versions,
        [
            new VersionReport("v1", VersionColors.At(0), Reports.Binary(0.8)),
            new VersionReport("v2", VersionColors.At(1), Reports.Binary(0.9)),
        ]));

        var roc = cut.FindAll("#roc-chart polyline");
        Assert.Equal(2, roc.Count);
        Assert.Equal([VersionColors.At(0), VersionColors.At(1)], roc.Select(l => l.GetAttribute("stroke")));
        Assert.Equal(2, cut.FindAll("#pr-chart polyline").Count);
        Assert.Equal(["v1", "v2"], cut.FindAll("#roc-chart [data-legend]").Select(e => e.GetAttribute("data-legend")));

        // Importances grouped by feature: a bar per version in the version's colour.
        var tenure = cut.FindAll("#importance-chart [data-bar-group='tenure'] rect");
        Assert.Equal([VersionColors.At(0), VersionColors.At(1)], tenure.Select(r => r.GetAttribute("fill")));
    }

    [Fact]
    public void Multiclass_versions_get_a_confusion_matrix_each_and_regression_versions_a_residual_plot_each()
    {
        var multi = Render<ReportCharts>(p => p.Add(x => x.Versions,
            [new VersionReport("v1", VersionColors.At(0), Reports.Multiclass()), new VersionReport("v2", VersionColors.At(1), Reports.Multiclass())]));
        Assert.Equal(2, multi.FindAll("#confusion-matrices .cp-confusion-table").Count);
        Assert.Equal("18", multi.Find("[data-confusion='v1'] tr[data-actual='high'] td").TextContent);

        var regression = Render<ReportCharts>(p => p.Add(x => x.Versions,
            [new VersionReport("v1", VersionColors.At(0), Reports.Regression(2)), new VersionReport("v2", VersionColors.At(1), Reports.Regression(1))]));
        Assert.Equal(2, regression.FindAll("#residual-plots svg").Count);
        Assert.Equal(3, regression.FindAll("#residual-plots [data-series='v2'] circle").Count);
    }
}
