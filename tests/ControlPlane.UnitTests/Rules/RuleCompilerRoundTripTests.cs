using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.UnitTests.Rules;

/// <summary>Every rule kind compiled, fitted and round-tripped through save/load with identical outputs.</summary>
public sealed class RuleCompilerRoundTripTests
{
    private static readonly RawTable Table = RuleTables.Synthetic();

    private static RuleSet Rules(params FeatureRule[] features) => new()
    {
        Label = new LabelRule { Source = "churned" },
        EntityKey = "Account Id",
        EventTime = "Signed Up",
        Features = features,
    };

    private static List<float> Feature(RuleSet rules, TaskType task = TaskType.Binary) =>
        RuleTables.Vectors(RuleRoundTrip.Run(rules, task, Table), RuleCompiler.FeaturesColumn).Select(v => v[0]).ToList();

    private static double?[] Raw(string column) => (double?[])Table.Columns.Single(c => c.Name == column).Values;

    [Fact]
    public void A_number_is_read_as_is_and_missing_values_get_the_training_mean()
    {
        var values = Feature(Rules(new FeatureRule { Name = "seats", Source = "Seats" }));
        var raw = Raw("Seats");
        var mean = (float)raw.OfType<double>().Select(v => (float)v).Average();
        for (var i = 0; i < raw.Length; i++)
        {
            Assert.Equal(raw[i] is { } v ? (float)v : mean, values[i], 3);
        }
    }

    [Fact]
    public void Scale_divides_the_raw_value()
    {
        var values = Feature(Rules(new FeatureRule { Name = "spend", Source = "Monthly Spend", Scale = 100, Impute = new ImputeRule { Strategy = ImputeStrategy.Zero } }));
        var raw = Raw("Monthly Spend");
        for (var i = 0; i < raw.Length; i++)
        {
            Assert.Equal(raw[i] is { } v ? (float)v / 100f : 0f, values[i]);
        }
    }

    [Theory]
    [InlineData(ImputeStrategy.Mean)]
    [InlineData(ImputeStrategy.Mode)]
    [InlineData(ImputeStrategy.Zero)]
    [InlineData(ImputeStrategy.Minimum)]
    [InlineData(ImputeStrategy.Maximum)]
    public void Every_numeric_imputation_fills_every_gap(ImputeStrategy strategy)
    {
        var values = Feature(Rules(new FeatureRule { Name = "seats", Source = "Seats", Impute = new ImputeRule { Strategy = strategy } }));
        var raw = Raw("Seats");
        var present = raw.OfType<double>().ToList();
        var filled = Enumerable.Range(0, raw.Length).Where(i => raw[i] is null).Select(i => values[i]).Distinct().Single();
        var expected = strategy switch
        {
            ImputeStrategy.Zero => 0f,
            ImputeStrategy.Minimum => (float)present.Min(),
            ImputeStrategy.Maximum => (float)present.Max(),
            ImputeStrategy.Mode => (float)present.GroupBy(v => v).OrderByDescending(g => g.Count()).First().Key,
            _ => (float)present.Average(),
        };
        if (strategy == ImputeStrategy.Mode)
        {
            Assert.Contains(filled, present.GroupBy(v => v).Where(g => g.Count() == present.GroupBy(v => v).Max(x => x.Count())).Select(g => (float)g.Key));
        }
        else
        {
            Assert.Equal(expected, filled, 2);
        }
    }

    [Fact]
    public void Constant_imputation_then_clip_then_log()
    {
        var values = Feature(Rules(new FeatureRule
        {
            Name = "seats", Source = "Seats", Impute = new ImputeRule { Strategy = ImputeStrategy.Constant, Value = "-5" },
            Clip = new ClipRule { Min = 0, Max = 100 }, Transform = NumberTransform.Log,
        }));
        var raw = Raw("Seats");
        for (var i = 0; i < raw.Length; i++)
        {
            var clipped = Math.Clamp(raw[i] is { } v ? (float)v : -5f, 0f, 100f);
            Assert.Equal(MathF.Log(1 + clipped), values[i], 4);
        }
    }

    [Fact]
    public void Bucketize_gives_the_index_of_the_first_bound_not_below_the_value()
    {
        var values = Feature(Rules(new FeatureRule
        {
            Name = "seats", Source = "Seats", Transform = NumberTransform.Bucketize, Buckets = [10, 100, 300],
            Impute = new ImputeRule { Strategy = ImputeStrategy.Zero },
        }));
        var raw = Raw("Seats");
        for (var i = 0; i < raw.Length; i++)
        {
            var v = raw[i] ?? 0;
            Assert.Equal(v <= 10 ? 0 : v <= 100 ? 1 : v <= 300 ? 2 : 3, values[i]);
        }
    }

    [Fact]
    public void One_hot_categories_map_spellings_and_keep_a_missing_category()
    {
        var rules = Rules(new FeatureRule
        {
            Name = "plan", Values = new Dictionary<string, string> { ["ENT"] = "enterprise", ["Basic"] = "basic" },
        });
        var output = RuleRoundTrip.Run(rules, TaskType.Binary, Table);
        var fitted = RuleCompiler.Compile(rules, TaskType.Binary, Table.Schema).Fit(Table);
        Assert.Equal(["plan=(missing)", "plan=basic", "plan=enterprise", "plan=pro", "plan=team"], fitted.Slots.Select(s => s.Name).Order(StringComparer.Ordinal));
        var vectors = RuleTables.Vectors(output, RuleCompiler.FeaturesColumn);
        Assert.All(vectors, v => Assert.Equal(1f, v.Sum()));
    }

    [Fact]
    public void One_hot_keeps_the_most_frequent_categories_up_to_the_cap()
    {
        var rules = Rules(new FeatureRule { Name = "plan", MaxCategories = 2 });
        var fitted = RuleCompiler.Compile(rules, TaskType.Binary, Table.Schema).Fit(Table);
        var expected = ((string?[])Table.Columns.Single(c => c.Name == "plan").Values)
            .Select(p => p ?? "(missing)")
            .GroupBy(p => p)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(2)
            .Select(g => $"plan={g.Key}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, fitted.Slots.Select(s => s.Name));
        var vectors = RuleTables.Vectors(RuleRoundTrip.Run(rules, TaskType.Binary, Table), RuleCompiler.FeaturesColumn);
        Assert.Contains(vectors, v => v.Sum() == 0);
    }

    [Fact]
    public void Hashed_categories_use_a_power_of_two_of_buckets()
    {
        var rules = Rules(new FeatureRule { Name = "plan", Encoding = CategoryEncoding.Hashed, MaxCategories = 10 });
        var output = RuleRoundTrip.Run(rules, TaskType.Binary, Table);
        Assert.All(RuleTables.Vectors(output, RuleCompiler.FeaturesColumn), v => Assert.Equal(16, v.Length));
    }

    [Fact]
    public void A_boolean_reads_flags_and_tenant_spellings()
    {
        var flags = Feature(Rules(new FeatureRule { Name = "active", Source = "is active", Impute = new ImputeRule { Strategy = ImputeStrategy.Zero } }));
        var raw = (bool?[])Table.Columns.Single(c => c.Name == "is active").Values;
        Assert.Equal(raw.Select(b => b == true ? 1f : 0f), flags);

        var spelled = Feature(Rules(new FeatureRule
        {
            Name = "converted", Type = FeatureType.Boolean, Values = new Dictionary<string, string> { ["Y"] = "true", ["N"] = "false" },
        }));
        Assert.Equal(Enumerable.Range(0, Table.RowCount).Select(i => i % 3 == 0 ? 1f : 0f), spelled);
    }

    [Fact]
    public void Text_is_featurized_into_ngrams()
    {
        var output = RuleRoundTrip.Run(Rules(new FeatureRule { Name = "notes" }), TaskType.Binary, Table);
        var vectors = RuleTables.Vectors(output, RuleCompiler.FeaturesColumn);
        Assert.True(vectors[1].Length > 10);
        Assert.Contains(vectors, v => v.Count(x => x != 0) > 5);
    }

    [Fact]
    public void Date_parts_match_the_calendar()
    {
        var rules = Rules(new FeatureRule
        {
            Name = "signed", Source = "Signed Up", Impute = new ImputeRule { Strategy = ImputeStrategy.Constant, Value = "2024-02-29T13:00:00Z" },
            DateParts = [DatePart.Hour, DatePart.DayOfWeek, DatePart.DayOfMonth, DatePart.Month, DatePart.Year],
        });
        var vectors = RuleTables.Vectors(RuleRoundTrip.Run(rules, TaskType.Binary, Table), RuleCompiler.FeaturesColumn);
        var raw = (DateTime?[])Table.Columns.Single(c => c.Name == "Signed Up").Values;
        for (var i = 0; i < raw.Length; i++)
        {
            var t = raw[i] ?? new DateTime(2024, 2, 29, 13, 0, 0, DateTimeKind.Utc);
            Assert.Equal(new float[] { t.Hour, ((int)t.DayOfWeek + 6) % 7 + 1, t.Day, t.Month, t.Year }, vectors[i]); // ISO day of week
        }
    }

    [Fact]
    public void Derived_expressions_read_columns_by_identifier_form_and_earlier_features()
    {
        var rules = Rules(
            new FeatureRule { Name = "seats", Source = "Seats", Impute = new ImputeRule { Strategy = ImputeStrategy.Constant, Value = "1" } },
            new FeatureRule { Name = "spend per seat", Expression = "Monthly_Spend / seats", Impute = new ImputeRule { Strategy = ImputeStrategy.Zero } },
            new FeatureRule { Name = "big", Expression = "(s, n) => s > 1000 and n > 10", Inputs = ["Monthly Spend", "seats"] });
        var vectors = RuleTables.Vectors(RuleRoundTrip.Run(rules, TaskType.Binary, Table), RuleCompiler.FeaturesColumn);
        var seats = Raw("Seats");
        var spend = Raw("Monthly Spend");
        for (var i = 0; i < seats.Length; i++)
        {
            var n = seats[i] is { } s ? (float)s : 1f;
            Assert.Equal(spend[i] is { } m ? (float)m / n : 0f, vectors[i][1], 3);
            Assert.Equal(spend[i] > 1000 && n > 10 ? 1f : 0f, vectors[i][2]);
        }
    }

    [Theory]
    [InlineData(TaskType.Binary, "churned", null)]
    [InlineData(TaskType.Binary, "converted", "y")]
    [InlineData(TaskType.Binary, null, "hours > 24")]
    [InlineData(TaskType.Multiclass, "queue", null)]
    [InlineData(TaskType.Regression, "hours", null)]
    [InlineData(TaskType.Regression, null, "hours * 60")]
    public void Labels_from_columns_and_expressions(TaskType task, string? source, string? expressionOrPositive)
    {
        var label = source is null
            ? new LabelRule { Expression = expressionOrPositive }
            : new LabelRule { Source = source, Positive = expressionOrPositive is null ? null : [expressionOrPositive] };
        if (task == TaskType.Multiclass)
        {
            label = label with { Values = new Dictionary<string, string> { ["BILL"] = "billing" } };
        }

        var rules = Rules(new FeatureRule { Name = "seats", Source = "Seats" }) with { Label = label };
        var output = RuleRoundTrip.Run(rules, task, Table);
        var labels = RuleTables.Column(output, RuleCompiler.LabelColumn);
        var hours = Raw("hours");
        var expected = (task, source) switch
        {
            (TaskType.Binary, "churned") => Enumerable.Range(0, Table.RowCount).Select(i => i % 4 == 0 ? "true" : "false"),
            (TaskType.Binary, "converted") => Enumerable.Range(0, Table.RowCount).Select(i => i % 3 == 0 ? "true" : "false"),
            (TaskType.Binary, _) => hours.Select(h => h > 24 ? "true" : "false"),
            // Keys in ordinal order of the class names: "Sales" = 1, "billing" (from "BILL") = 2, "tech" = 3.
            (TaskType.Multiclass, _) => Enumerable.Range(0, Table.RowCount).Select(i => (i % 3) switch { 0 => "2", 1 => "3", _ => "1" }),
            (_, "hours") => hours.Select(h => BitConverter.SingleToInt32Bits((float)h!.Value).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            _ => hours.Select(h => BitConverter.SingleToInt32Bits((float)h!.Value * 60f).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        Assert.Equal(expected, labels);
    }

    [Fact]
    public void Entity_key_and_event_time_pass_through()
    {
        var output = RuleRoundTrip.Run(Rules(new FeatureRule { Name = "seats", Source = "Seats" }), TaskType.Binary, Table);
        Assert.Equal("acct-00007", RuleTables.Column(output, RuleCompiler.EntityKeyColumn)[7]);
        var times = output.GetColumn<double>(output.Schema[RuleCompiler.EventTimeColumn]).ToList();
        var raw = (DateTime?[])Table.Columns.Single(c => c.Name == "Signed Up").Values;
        Assert.Equal(raw.Select(t => t is { } v ? (v - DateTime.UnixEpoch).TotalSeconds : double.NaN), times);
    }

    [Fact]
    public void A_numeric_entity_key_keeps_every_digit()
    {
        var table = new RawTable(
        [
            RawTableColumn.Numbers("lead number", [123456789012, 98765432101, null]),
            RawTableColumn.Numbers("pages", [1, 2, 3]),
            RawTableColumn.Booleans("won", [true, false, true]),
        ]);
        var rules = new RuleSet { Label = new LabelRule { Source = "won" }, EntityKey = "lead number", Features = [new FeatureRule { Name = "pages" }] };
        var output = RuleRoundTrip.Run(rules, TaskType.Binary, table);
        Assert.Equal(["123456789012", "98765432101", ""], RuleTables.Column(output, RuleCompiler.EntityKeyColumn));
    }

    [Fact]
    public void A_dropped_column_is_not_read_and_the_rest_still_compiles()
    {
        var rules = Rules(new FeatureRule { Name = "seats", Source = "Seats" }, new FeatureRule { Name = "plan" }) with { Drop = ["notes"] };
        var fitted = RuleCompiler.Compile(rules, TaskType.Binary, Table.Schema).Fit(Table);
        Assert.DoesNotContain(fitted.Slots, s => s.Feature == "notes");
        RuleRoundTrip.Run(rules, TaskType.Binary, Table);
    }

    [Fact]
    public void Slots_name_every_feature_value()
    {
        var rules = Rules(new FeatureRule { Name = "seats", Source = "Seats" }, new FeatureRule { Name = "signed", Source = "Signed Up" });
        var fitted = RuleCompiler.Compile(rules, TaskType.Binary, Table.Schema).Fit(Table);
        Assert.Equal(["seats", .. DateFeatures.DefaultParts.SelectMany(DateFeatures.Outputs).Select(p => $"signed.{p.Name}")], fitted.Slots.Select(s => s.Name));
        Assert.Equal(["signed.hour", "signed.dayOfWeek", "signed.month"],
            RuleCompiler.Compile(rules, TaskType.Binary, Table.Schema, featurization: 1).Fit(Table).Slots.Skip(1).Select(s => s.Name));
    }
}
