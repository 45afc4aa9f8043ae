using Microsoft.ML;
using System.Text.RegularExpressions;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules.Compiler;

internal sealed partial class RulePlanBuilder
{
    /// <summary>
    /// Compiles a rule's expression into <paramref name="output"/>. A body's identifiers name earlier features (their
    /// cleaned values) before raw columns; a name with spaces or punctuation is written with '_' for each run of them
    /// ("Cs As Of" → <c>Cs_As_Of</c>), and a name that matches only ignoring case is accepted when it is unambiguous.
    /// The label reads raw columns only (<paramref name="featuresVisible"/> false), so cleaning never leaks into it.
    /// </summary>
    private (string Column, DataViewType Type)? CompileExpression(
        string expression, IReadOnlyList<string>? inputs, string pathPrefix, string output, bool featuresVisible)
    {
        var path = pathPrefix + "expression";
        if (string.IsNullOrWhiteSpace(expression))
        {
            Error(path, "The expression is empty.");
            return null;
        }

        if (ExpressionText.TooComplex(expression) is { } tooComplex)
        {
            Error(path, tooComplex);
            return null;
        }

        string lambda;
        var columns = new List<string>();
        if (inputs is { Count: > 0 })
        {
            if (!ExpressionText.LooksLikeLambda(expression))
            {
                Error(path, "With 'inputs', write the expression as a lambda over them, e.g. (spend, seats) => spend / seats.");
                return null;
            }

            for (var k = 0; k < inputs.Count; k++)
            {
                if (ResolveName(inputs[k], featuresVisible) is { } column)
                {
                    if (featuresVisible && Reserved(column) is { } why)
                    {
                        Error($"{pathPrefix}inputs[{k}]", $"'{inputs[k]}' is {why}; a feature cannot read it.");
                        continue;
                    }

                    columns.Add(column);
                }
                else
                {
                    Error($"{pathPrefix}inputs[{k}]", $"There is no column or earlier feature '{inputs[k]}'. {ColumnHint(inputs[k])}");
                }
            }

            if (columns.Count != inputs.Count)
            {
                return null;
            }

            lambda = expression;
        }
        else
        {
            if (ExpressionText.LooksLikeLambda(expression))
            {
                Error($"{pathPrefix}inputs", "A lambda needs 'inputs': the columns its parameters read, in order.");
                return null;
            }

            var identifiers = ExpressionText.FreeIdentifiers(expression);
            var replacements = new List<(ExpressionText.Identifier, string)>();
            foreach (var id in identifiers)
            {
                var column = ResolveName(id.Name, featuresVisible);
                if (column is null)
                {
                    if (replacements.All(r => r.Item1.Name != id.Name) && !_errors.Any(e => e.Path == path && e.Message.Contains($"'{id.Name}'", StringComparison.Ordinal)))
                    {
                        var what = featuresVisible ? "column or earlier feature" : "column";
                        Error(path, $"Unknown name '{id.Name}' in the expression: there is no {what} of that name. {ColumnHint(id.Name)}");
                    }

                    continue;
                }

                if (featuresVisible && Reserved(column) is { } why)
                {
                    Error(path, $"'{id.Name}' is {why}; a feature cannot read it.");
                    continue;
                }

                var index = columns.IndexOf(column);
                if (index < 0)
                {
                    columns.Add(column);
                    index = columns.Count - 1;
                }

                replacements.Add((id, Parameter(index)));
            }

            if (_errors.Any(e => e.Path == path))
            {
                return null;
            }

            if (columns.Count == 0)
            {
                Error(path, "The expression reads no column; it must use at least one.");
                return null;
            }

            lambda = $"({string.Join(", ", columns.Select((_, k) => Parameter(k)))}) => {ExpressionText.Rewrite(expression, replacements)}";
        }

        if (columns.Count > ExpressionText.MaxInputs)
        {
            Error(path, $"The expression reads {columns.Count} columns; ML.NET expressions take at most {ExpressionText.MaxInputs}. Compute part of it as an earlier feature.");
            return null;
        }

        var type = ProbeExpression(lambda, columns, out var problem);
        if (type is null)
        {
            var names = columns.Select(DisplayName).ToArray();
            Error(path, $"The expression '{expression}' does not compile: {Explain(problem!, names)}.");
            return null;
        }

        if (type is not (NumberDataViewType or BooleanDataViewType or TextDataViewType))
        {
            Error(path, $"The expression gives {type}; it must give a number, true/false or text.");
            return null;
        }

        Add(_ml.Transforms.Expression(output, lambda, columns.ToArray()), output, type);
        return (output, type);
    }

    private static string Parameter(int index) => $"_c{index}";

    /// <summary>An expression identifier or input name → the pipeline column it reads, or null.</summary>
    private string? ResolveName(string name, bool featuresVisible)
    {
        var column = ResolveNameCore(name, featuresVisible);
        if (_inFeature && column is not null && _raw.ContainsKey(column))
        {
            _featureReads.Add(column);
        }

        return column;
    }

    private string? ResolveNameCore(string name, bool featuresVisible)
    {
        bool Usable(string raw) => _raw.ContainsKey(raw) && !_dropped.ContainsKey(raw);
        IEnumerable<(string Name, string Column)> Candidates()
        {
            if (featuresVisible)
            {
                foreach (var f in _features)
                {
                    yield return (f.Name, f.ValueColumn);
                }
            }

            foreach (var c in _rawColumns.Where(c => Usable(c.Name)))
            {
                yield return (c.Name, c.Name);
            }
        }

        var candidates = Candidates().ToList();
        foreach (var match in new Func<string, bool>[]
                 {
                     n => n == name,
                     n => ExpressionText.IdentifierForm(n) == name,
                 })
        {
            if (candidates.FirstOrDefault(c => match(c.Name)) is { Column: not null } hit)
            {
                return hit.Column;
            }
        }

        var loose = candidates
            .Where(c => string.Equals(ExpressionText.IdentifierForm(c.Name), name, StringComparison.OrdinalIgnoreCase))
            .Select(c => c.Column).Distinct().ToList();
        return loose.Count == 1 ? loose[0] : null;
    }

    private string DisplayName(string column) =>
        _features.FirstOrDefault(f => f.ValueColumn == column)?.Name ?? column;

    /// <summary>Compiles a lambda against a schema of just its inputs, returning its output type or ML.NET's complaint.</summary>
    private DataViewType? ProbeExpression(string lambda, IReadOnlyList<string> inputs, out string? problem)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var input in inputs)
        {
            builder.AddColumn(input, _types[input]);
        }

        var schema = builder.ToSchema();
        try
        {
            const string probe = "_probe";
            var transformer = _ml.Transforms.Expression(probe, lambda, inputs.ToArray()).Fit(new EmptyDataView(schema));
            problem = null;
            return transformer.GetOutputSchema(schema)[probe].Type;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            problem = ex.Message;
            return null;
        }
    }

    /// <summary>ML.NET's "binding failed: at 'Ident: _c1': Invalid numeric operand (Parameter 'expression')" in the rule's own names.</summary>
    private static string Explain(string message, IReadOnlyList<string> inputNames)
    {
        var text = Regex.Replace(message, @"\s*\(Parameter '[^']*'\)\s*$", "");
        text = Regex.Replace(text, @"\b_c(\d)\b", m =>
            int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var k && k < inputNames.Count
                ? inputNames[k]
                : m.Value);
        return text.Replace("Ident: ", "", StringComparison.Ordinal).TrimEnd('.');
    }
}
