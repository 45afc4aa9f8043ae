namespace ControlPlane.Benchmarks;

/// <summary>A SQLite database file for one scenario run, with an earlier run's file and its WAL files removed first.</summary>
public static class ScratchSqlite
{
    public static string FreshFile(string folder, string name)
    {
        var file = Path.Combine(folder, name + ".db");
        foreach (var leftover in new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists))
        {
            File.Delete(leftover);
        }

        return file;
    }
}
