using System.Globalization;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.UnitTests.Rules;

/// <summary>Raw tables for the rules tests, and a reader that turns any output column into comparable text (floats as bits).</summary>
internal static class RuleTables
{
    public static readonly string[] Plans = ["ENT", "pro", "Basic", "team"];

    /// <summary>A churn-like table with awkward names: spaces, mixed case, missing values in every column.</summary>
    public static RawTable Synthetic(int rows = 300, int seed = 7)
    {
        var random = new Random(seed);
        double? Maybe(double v) => random.NextDouble() < 0.1 ? null : v;
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var seats = new double?[rows];
        var spend = new double?[rows];
        var plan = new string?[rows];
        var active = new bool?[rows];
        var signedUp = new DateTime?[rows];
        var notes = new string?[rows];
        var churned = new bool?[rows];
        var converted = new string?[rows];
        var queue = new string?[rows];
        var hours = new double?[rows];
        var key = new string?[rows];
        for (var i = 0; i < rows; i++)
        {
            seats[i] = Maybe(random.Next(1, 500));
            spend[i] = Maybe(Math.Round(random.NextDouble() * 90000, 2));
            plan[i] = random.NextDouble() < 0.08 ? null : Plans[random.Next(Plans.Length)];
            active[i] = random.NextDouble() < 0.1 ? null : random.NextDouble() < 0.6;
            signedUp[i] = random.NextDouble() < 0.05 ? null : start.AddSeconds(random.Next(0, 400 * 86400));
            notes[i] = random.NextDouble() < 0.2 ? null : $"customer asked about {(i % 3 == 0 ? "refund" : "invoice")} and billing {i % 7}";
            churned[i] = i % 4 == 0;
            converted[i] = i % 3 == 0 ? "Y" : "N";
            queue[i] = (i % 3) switch { 0 => "BILL", 1 => "tech", _ => "Sales" };
            hours[i] = 1 + i % 48 + random.NextDouble();
            key[i] = $"acct-{i:D5}";
        }

        return new RawTable(
        [
            RawTableColumn.Strings("Account Id", FeatureType.Category, key),
            RawTableColumn.Numbers("Seats", seats),
            RawTableColumn.Numbers("Monthly Spend", spend),
            RawTableColumn.Strings("plan", FeatureType.Category, plan),
            RawTableColumn.Booleans("is active", active),
            RawTableColumn.DateTimes("Signed Up", signedUp),
            RawTableColumn.Strings("notes", FeatureType.Text, notes),
            RawTableColumn.Booleans("churned", churned),
            RawTableColumn.Strings("converted", FeatureType.Category, converted),
            RawTableColumn.Strings("queue", FeatureType.Category, queue),
            RawTableColumn.Numbers("hours", hours),
        ]);
    }

    /// <summary>Every value of a column, as text that differs whenever the bits differ.</summary>
    public static List<string> Column(IDataView view, string name)
    {
        var column = view.Schema[name];
        var values = new List<string>();
        using var cursor = view.GetRowCursor([column]);
        Func<string> read = column.Type switch
        {
            VectorDataViewType => Reader<VBuffer<float>>(cursor, column, v => string.Join(",", v.DenseValues().Select(Bits))),
            TextDataViewType => Reader<ReadOnlyMemory<char>>(cursor, column, v => v.ToString()),
            BooleanDataViewType => Reader<bool>(cursor, column, v => v ? "true" : "false"),
            KeyDataViewType => Reader<uint>(cursor, column, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when column.Type.RawType == typeof(double) => Reader<double>(cursor, column, v => BitConverter.DoubleToInt64Bits(v).ToString(CultureInfo.InvariantCulture)),
            _ => Reader<float>(cursor, column, Bits),
        };
        while (cursor.MoveNext())
        {
            values.Add(read());
        }

        return values;
    }

    public static List<float> Floats(IDataView view, string name) => view.GetColumn<float>(view.Schema[name]).ToList();

    public static List<float[]> Vectors(IDataView view, string name) =>
        view.GetColumn<VBuffer<float>>(view.Schema[name]).Select(v => v.DenseValues().ToArray()).ToList();

    private static string Bits(float v) => BitConverter.SingleToInt32Bits(v).ToString(CultureInfo.InvariantCulture);

    private static Func<string> Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, string> format)
    {
        var getter = cursor.GetGetter<T>(column);
        var value = default(T)!;
        return () => { getter(ref value); return format(value); };
    }
}
