namespace ControlPlane.ML.Rules;

/// <summary>
/// One feature as compiled: the rule's name and type, the pipeline column holding its cleaned value (the one later
/// expressions read) and the columns concatenated into <c>Features</c>. Pipeline columns are named
/// <c>_rules.{index}.{stage}</c>, so any feature name (spaces, case, punctuation) is safe and never collides with a
/// raw column.
/// </summary>
/// <param name="ValueColumn">Single for numbers and booleans, text for categories and text, Double Unix seconds for date-times.</param>
/// <param name="DateSlots">Date-times: each output column's slot name ("dayOfWeek", "yearCycle.sin"); empty otherwise.</param>
/// <param name="ExpressionColumn">The expression's own output, before cleaning; null when the feature reads a raw column.</param>
public sealed record CompiledFeature(
    string Name,
    FeatureType Type,
    string ValueColumn,
    IReadOnlyList<string> OutputColumns,
    string? ExpressionColumn,
    CategoryEncoding? Encoding,
    IReadOnlyList<string> DateSlots)
{
    /// <summary>Where the value comes from, in words: "column 'created_at'" or "expression 'a / b'".</summary>
    public string? Origin { get; init; }

    /// <summary>Date-times: the parts the model reads (the rule's, or the featurization's defaults); empty otherwise.</summary>
    public IReadOnlyList<DatePart> DateParts { get; init; } = [];
}

/// <summary>The compiled label: <see cref="RuleCompiler.LabelColumn"/> plus what the dry run and preview read.</summary>
/// <param name="Name">How messages name the label: its source column, or "label" for an expression.</param>
/// <param name="KnownColumn">Boolean: whether the row has a label at all (a missing binary label reads as false).</param>
/// <param name="DisplayColumn">The label before keys: Boolean, text (multiclass) or Single.</param>
public sealed record CompiledLabel(string Name, string KnownColumn, string DisplayColumn, string? ExpressionColumn);

/// <summary>One slot of the <c>Features</c> vector, named for previews and explanations ("industry=retail", "created.hour").</summary>
public sealed record FeatureSlot(int Index, string Feature, string Name);
