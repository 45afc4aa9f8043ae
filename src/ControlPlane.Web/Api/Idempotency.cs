using System.Security.Claims;
using System.Security.Cryptography;
using ControlPlane.Core.Data;
using ControlPlane.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Web.Api;

/// <summary>
/// <c>Idempotency-Key</c> on every API POST (issue 16, point 7; decision 0041). The first request with a key runs and its
/// answer (if not a server error) is kept for a day; the same key from the same caller again gets that answer replayed
/// (with <c>Idempotent-Replayed: true</c>) instead of starting the work twice — a retrain, a backfill, a pull. A key
/// reused for another path or another body is refused (422); one whose first request is still running gets 409.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxKeyLength = 128;
    private const int MaxComparedBody = 64 * 1024;
    private const int MaxKeptAnswer = 1024 * 1024;
    private static readonly TimeSpan Kept = TimeSpan.FromHours(24);

    public static WebApplication UseIdempotencyKeys(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments("/api")
                || !context.Request.Headers.TryGetValue(Header, out var values))
            {
                await next(context);
                return;
            }

            var key = values.ToString().Trim();
            if (key.Length is 0 or > MaxKeyLength || key.Any(char.IsControl))
            {
                await Problem(context, StatusCodes.Status400BadRequest, $"{Header} must be 1 to {MaxKeyLength} printable characters (a UUID is a good key).");
                return;
            }

            if (Owner(context) is not { } owner)
            {
                await next(context); // not signed in: authorization answers, nothing is kept
                return;
            }

            await HandleAsync(context, next, owner, key);
        });
        return app;
    }

    private static async Task HandleAsync(HttpContext context, RequestDelegate next, string owner, string key)
    {
        var dbs = context.RequestServices.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var now = DateTime.UtcNow;
        var bodyHash = await BodyHashAsync(context.Request);
        var path = context.Request.Path + context.Request.QueryString;
        await using (var db = await dbs.CreateDbContextAsync(context.RequestAborted))
        {
            await db.IdempotencyRecords.Where(r => r.CreatedAt < now - Kept).ExecuteDeleteAsync(context.RequestAborted);
            db.IdempotencyRecords.Add(new IdempotencyRecord { Owner = owner, Key = key, Method = context.Request.Method, Path = path, BodyHash = bodyHash, CreatedAt = now });
            try
            {
                await db.SaveChangesAsync(context.RequestAborted);
            }
            catch (DbUpdateException)
            {
                await using var read = await dbs.CreateDbContextAsync(context.RequestAborted);
                var first = await read.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Owner == owner && r.Key == key, context.RequestAborted);
                await AnswerRepeatAsync(context, first, path, bodyHash);
                return;
            }
        }

        var original = context.Response.Body;
        await using var copy = new TeeStream(original, MaxKeptAnswer);
        context.Response.Body = copy;
        var kept = false;
        try
        {
            await next(context);
            kept = context.Response.StatusCode < 500 && !copy.Overflowed;
        }
        finally
        {
            context.Response.Body = original;
            await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
            var record = db.IdempotencyRecords.Where(r => r.Owner == owner && r.Key == key);
            if (kept)
            {
                var body = copy.Captured;
                var contentType = context.Response.ContentType;
                var location = context.Response.Headers.Location.ToString();
                await record.ExecuteUpdateAsync(s => s.SetProperty(r => r.Completed, true).SetProperty(r => r.StatusCode, context.Response.StatusCode)
                    .SetProperty(r => r.ContentType, contentType).SetProperty(r => r.Location, location.Length == 0 ? null : location)
                    .SetProperty(r => r.Body, body), CancellationToken.None);
            }
            else
            {
                // A server error (or an answer too large to keep): nothing happened that a retry would repeat wrongly.
                await record.ExecuteDeleteAsync(CancellationToken.None);
            }
        }
    }

    private static async Task AnswerRepeatAsync(HttpContext context, IdempotencyRecord? first, string path, string? bodyHash)
    {
        if (first is null)
        {
            await Problem(context, StatusCodes.Status409Conflict, $"A request with this {Header} was just answered with a server error; send it again.");
            return;
        }

        if (first.Method != context.Request.Method || first.Path != path || (first.BodyHash is not null && bodyHash is not null && first.BodyHash != bodyHash))
        {
            await Problem(context, StatusCodes.Status422UnprocessableEntity,
                $"This {Header} was used for another request ({first.Method} {first.Path}{(first.Path == path ? " with another body" : "")}); use a new key for a new request.");
            return;
        }

        if (!first.Completed)
        {
            context.Response.Headers.RetryAfter = "1";
            await Problem(context, StatusCodes.Status409Conflict, $"The first request with this {Header} is still being processed; try again shortly.");
            return;
        }

        context.Response.StatusCode = first.StatusCode;
        context.Response.Headers[ReplayedHeader] = "true";
        if (first.Location is not null)
        {
            context.Response.Headers.Location = first.Location;
        }

        if (first.ContentType is not null)
        {
            context.Response.ContentType = first.ContentType;
        }

        if (first.Body is { Length: > 0 } body)
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    /// <summary>Who the key belongs to: a user or token, or a tenant's API key (by its hash); null when nobody is identified.</summary>
    private static string? Owner(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var id = context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? context.User.Identity.Name;
            return id is null ? null : Clip($"user:{id}");
        }

        return context.Request.Headers.TryGetValue(PredictApi.KeyHeader, out var apiKey) && apiKey.ToString().Length > 0
            ? $"tenant-key:{Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(apiKey.ToString())))[..32]}"
            : null;
    }

    private static string Clip(string owner) => owner.Length <= 128 ? owner : owner[..128];

    private static async Task<string?> BodyHashAsync(HttpRequest request)
    {
        if (request.ContentLength is null or > MaxComparedBody)
        {
            return null; // a large (or streamed) body, an upload: compared by path only
        }

        request.EnableBuffering();
        var buffer = new byte[request.ContentLength.Value];
        await request.Body.ReadExactlyAsync(buffer, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return Convert.ToHexString(SHA256.HashData(buffer));
    }

    private static Task Problem(HttpContext context, int status, string detail) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [Header] = [detail] })
        {
            Status = status, Detail = detail,
            Title = status switch
            {
                StatusCodes.Status400BadRequest => "The request is invalid.",
                StatusCodes.Status409Conflict => "Conflict.",
                _ => "The key does not match the request.",
            },
        }).ExecuteAsync(context);

    /// <summary>Writes through to the response and keeps a copy of up to <c>limit</c> bytes.</summary>
    private sealed class TeeStream(Stream inner, int limit) : Stream
    {
        private readonly MemoryStream _copy = new();

        public bool Overflowed { get; private set; }

        public byte[] Captured => _copy.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (Overflowed || _copy.Length + bytes.Length > limit)
            {
                Overflowed = true;
                return;
            }

            _copy.Write(bytes);
        }
    }
}
