using ControlPlane.Core;
using ControlPlane.Executor;
using ControlPlane.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddControlPlaneCore();
builder.AddControlPlaneExecutor();
builder.AddControlPlaneWeb();

var app = builder.Build();

app.UseControlPlaneWeb();
app.MapControlPlaneApi();
app.MapControlPlaneUi();

app.Run();

public partial class Program;
