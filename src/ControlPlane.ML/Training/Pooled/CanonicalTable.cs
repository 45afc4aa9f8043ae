using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// One tenant's rows mapped by its own rules onto the use case's canonical columns, so several tenants can be pooled:
/// every canonical feature as the tenant's rules compute it (source column, scale, spellings, imputation, clipping —
/// before encoding), the label (null where the row has none), the entity key and the event time, all named as the use
/// case names them. The rules are fitted on the tenant's training split only (<see cref="TrainingSplit"/>), so the
/// validation and test rows' values owe nothing to them. A feature the tenant dropped is a column of missing values.
/// The tenant's name is a column too (<see cref="TenantColumn"/>), a feature of the pooled model: it learns what is
/// particular to each tenant where the data shows it, and what they share everywhere else.
/// </summary>
public static class CanonicalTable
{
    /// <summary>The canonical column and pooled feature holding the tenant's name: no use-case column can be named so.</summary>
    public const string TenantColumn = "(tenant)";

    /// <summary>
    /// The tenant's rows on the canonical columns twice: <see cref="CanonicalTenant.Holdout"/> mapped by its rules fitted
    /// on the training part of its split (what the pool is chosen and judged on, as the tenant's own model is), and
    /// <see cref="CanonicalTenant.Served"/> mapped by its rules fitted on every labelled row — exactly as the tenant's own
    /// version fits them, which is what maps its rows onto the pool when it serves (<see cref="CanonicalMapping"/>).
    /// </summary>
    /// <exception cref="TrainingException">The tenant's rules do not match its data, or it has too few labelled rows to split.</exception>
    public static CanonicalTenant From(RawTable data, RuleSet effective, RuleDefaults defaults, TrainingSettings settings, string tenant)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(effective);
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(settings);
        var ml = MlContextFactory.Create(settings.Seed);
        var rules = ModelTrainer.Compile(effective, defaults.Task, data, ml, settings.Featurization);
        var split = TrainingSplit.Make(rules, data, settings, minimumRows: 3);
        return new CanonicalTenant(tenant, Map(rules.Fit(split.Train), data, rules, defaults, tenant), Map(rules.Fit(split.All), data, rules, defaults, tenant));
    }

    /// <summary>
    /// A mapper of the tenant's raw rows onto the canonical columns with its rules fitted on <paramref name="fitOn"/>
    /// (the training rows of a split), for scoring a pooled model on rows it was not fitted on.
    /// </summary>
    public static Func<RawTable, RawTable> Mapper(RawTable fitOn, RuleSet effective, RuleDefaults defaults, TrainingSettings settings, string tenant)
    {
        var ml = MlContextFactory.Create(settings.Seed);
        var rules = ModelTrainer.Compile(effective, defaults.Task, fitOn, ml, settings.Featurization);
        var fitted = rules.Fit(fitOn);
        return rows => Map(fitted, rows, rules, defaults, tenant);
    }

    private static RawTable Map(FittedRules fitted, RawTable data, CompiledRules rules, RuleDefaults defaults, string tenant)
    {
        var view = fitted.Transform(data);
        var schema = view.Schema;

        var columns = new List<RawTableColumn>();
        foreach (var feature in defaults.Features)
        {
            var compiled = rules.Features.FirstOrDefault(f => f.Name == feature.Name);
            columns.Add(compiled is null
                ? RawTableColumn.Missing(feature.Name, feature.Type, data.RowCount)
                : Read(view, schema[compiled.ValueColumn], feature.Name, feature.Type));
        }

        var known = view.ReadColumn<bool>(rules.Label.KnownColumn);
        var label = Read(view, schema[rules.Label.DisplayColumn], defaults.LabelColumn, LabelType(defaults.Task));
        columns.Add(WithoutUnknown(label, known));
        // The entity key and the event time may also be features of the use case (a date feature reading the event-time
        // column): the feature's column then serves for both, as the use case names one column once.
        bool Named(string name) => columns.Any(c => string.Equals(c.Name, name, StringComparison.Ordinal));
        if (schema.GetColumnOrNull(RuleCompiler.EntityKeyColumn) is { } key && !Named(defaults.EntityKeyColumn))
        {
            columns.Add(Read(view, key, defaults.EntityKeyColumn, FeatureType.Category));
        }

        if (defaults.EventTimeColumn is { } time && !Named(time) && schema.GetColumnOrNull(RuleCompiler.EventTimeColumn) is { } eventTime)
        {
            columns.Add(Read(view, eventTime, time, FeatureType.DateTime));
        }

        columns.Add(RawTableColumn.Strings(TenantColumn, FeatureType.Category, Enumerable.Repeat<string?>(tenant, data.RowCount).ToArray()));
        return new RawTable(columns);
    }

    /// <summary>The rules a pooled model trains with on canonical tables: the use case's defaults, nothing overridden, and the tenant.</summary>
    public static RuleSet Rules(RuleDefaults defaults) => RuleInheritance.Effective(defaults, new RuleSet
    {
        Features = [new FeatureRule { Name = TenantColumn, Source = TenantColumn, Type = FeatureType.Category }],
    });

    private static FeatureType LabelType(TaskType task) => task switch
    {
        TaskType.Binary => FeatureType.Boolean,
        TaskType.Multiclass => FeatureType.Category,
        _ => FeatureType.Number,
    };

    private static RawTableColumn Read(IDataView view, DataViewSchema.Column column, string name, FeatureType type)
    {
        var numbers = column.Type switch
        {
            NumberDataViewType t when t == NumberDataViewType.Single => view.ReadColumn<float, double>(column, v => v),
            NumberDataViewType t when t == NumberDataViewType.Double => view.ReadColumn<double, double>(column, v => v),
            BooleanDataViewType => view.ReadColumn<bool, double>(column, v => v ? 1.0 : 0.0),
            _ => null,
        };
        var texts = column.Type is TextDataViewType ? view.ReadColumn<ReadOnlyMemory<char>, string?>(column, v => v.IsEmpty ? null : v.ToString()) : null;
        return Column(name, type, numbers, texts);
    }

    /// <summary>
    /// A canonical column of <paramref name="type"/> from a pipeline column's values, read as numbers (Single, Double
    /// or Boolean as 1/0; NaN is missing) or as text (null is missing). Training (<see cref="From"/>) and serving
    /// (<see cref="CanonicalRowMapper"/>) both convert here, so a tenant's row reaches a pooled model alike in both.
    /// </summary>
    internal static RawTableColumn Column(string name, FeatureType type, double[]? numbers, string?[]? texts) => type switch
    {
        FeatureType.Number => RawTableColumn.Numbers(name, Numbers(numbers, texts)),
        FeatureType.Boolean => RawTableColumn.Booleans(name, Numbers(numbers, texts).Select(v => v is { } x ? x != 0 : (bool?)null).ToArray()),
        FeatureType.DateTime => RawTableColumn.DateTimes(name, Numbers(numbers, texts)
            .Select(v => v is { } s ? DateTime.UnixEpoch.AddTicks((long)Math.Round(s * TimeSpan.TicksPerSecond)) : (DateTime?)null).ToArray()),
        _ => RawTableColumn.Strings(name, type, texts ?? numbers!.Select(v => double.IsNaN(v) ? null : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray()),
    };

    private static double?[] Numbers(double[]? numbers, string?[]? texts) => numbers is not null
        ? numbers.Select(v => double.IsNaN(v) ? null : (double?)v).ToArray()
        : texts!.Select(t => double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : (double?)null).ToArray();

    private static RawTableColumn WithoutUnknown(RawTableColumn label, bool[] known) => label.Values switch
    {
        bool?[] v => RawTableColumn.Booleans(label.Name, v.Select((x, i) => known[i] ? x : null).ToArray()),
        double?[] v => RawTableColumn.Numbers(label.Name, v.Select((x, i) => known[i] ? x : null).ToArray()),
        string?[] v => RawTableColumn.Strings(label.Name, label.Type, v.Select((x, i) => known[i] ? x : null).ToArray()),
        _ => label,
    };
}

/// <summary>One tenant's rows on a pooled model's canonical columns (<see cref="CanonicalTable.From"/>), row for row as in its data.</summary>
/// <param name="Holdout">Mapped by the tenant's rules fitted on its training rows.</param>
/// <param name="Served">Mapped by the tenant's rules fitted on all its labelled rows.</param>
public sealed record CanonicalTenant(string Tenant, RawTable Holdout, RawTable Served);
