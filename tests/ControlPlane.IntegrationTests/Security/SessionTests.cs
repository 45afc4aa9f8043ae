using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ControlPlane.Core.Security;
using ControlPlane.Core.Users;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>The app on a real loopback port, so clients can come from different addresses (127.0.0.2, .3, ...).</summary>
public sealed class RealServerFixture<TProvider> : AppFixture<TProvider> where TProvider : IProviderKind
{
    protected override bool RealServer => true;
}

/// <summary>
/// Issue 16, point 6: sign-out ends the session on the server (a copy of the cookie stops working), sign-in failures
/// are throttled by client address so nobody can lock another person out, the page says the same for every failure,
/// and sign-out needs the antiforgery token.
/// </summary>
public abstract partial class SessionTests<TProvider>(RealServerFixture<TProvider> fixture) : IClassFixture<RealServerFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const string Failure = "Sign-in failed: check the email and password.";
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Signing_out_ends_the_session_for_every_copy_of_the_cookie()
    {
        var (email, password) = await UserAsync();
        var cookies = new CookieContainer();
        using var browser = From("127.0.0.2", cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email, password)).StatusCode);
        var copy = new CookieContainer();
        copy.Add(cookies.GetCookies(App.ServerAddress));
        using var thief = From("127.0.0.9", copy);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/")).StatusCode);

        var token = SignInClient.AntiforgeryTokenOf(await (await browser.GetAsync("/")).Content.ReadAsStringAsync());
        var signOut = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await thief.GetAsync("/")).StatusCode); // to the sign-in page
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_sign_out_post_without_the_antiforgery_token_is_refused_and_the_session_lives_on()
    {
        var (email, password) = await UserAsync();
        using var browser = From("127.0.0.2", new CookieContainer());
        await browser.SignInAsync(email, password);

        var forged = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Failures_from_one_address_do_not_lock_the_owner_out_from_theirs()
    {
        var (email, password) = await UserAsync();
        using var attacker = From("127.0.0.3", new CookieContainer());
        using var owner = From("127.0.0.4", new CookieContainer());

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(Failure, ErrorOf(await attacker.SignInAsync(email, "wrong-password-1")));
        }

        var attackerRight = await attacker.SignInAsync(email, password);
        var ownerRight = await owner.SignInAsync(email, password);

        Assert.Equal(Failure, ErrorOf(attackerRight)); // the attacker's address waits, even with the right password
        Assert.Equal(HttpStatusCode.Redirect, ownerRight.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Unknown_and_known_emails_get_the_same_words_and_many_failures_from_one_address_make_it_wait_for_every_account()
    {
        var (email, password) = await UserAsync();
        using var sprayer = From("127.0.0.5", new CookieContainer());

        var unknown = ErrorOf(await sprayer.SignInAsync($"{Guid.NewGuid():N}@nowhere.test", "whatever-123"));
        var wrong = ErrorOf(await sprayer.SignInAsync(email, "wrong-password-2"));
        for (var i = 0; i < 20; i++)
        {
            await sprayer.SignInAsync($"spray{i}-{Guid.NewGuid():N}@nowhere.test", "guess-123456");
        }

        var right = await sprayer.SignInAsync(email, password);

        Assert.Equal(Failure, unknown);
        Assert.Equal(Failure, wrong);
        Assert.Equal(Failure, ErrorOf(right));
        using var elsewhere = From("127.0.0.6", new CookieContainer());
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.SignInAsync(email, password)).StatusCode);
    }

    private async Task<(string Email, string Password)> UserAsync()
    {
        var email = $"{Guid.NewGuid():N}@test.local";
        const string password = "Correct-Horse-9";
        await App.WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>()
            .CreateAsync(new CreateUserRequest { Email = email, Role = Roles.Viewer, Password = password }, "test"));
        return (email, password);
    }

    /// <summary>A browser-like client whose connections come from <paramref name="localAddress"/> (any 127.x address is the loopback).</summary>
    private HttpClient From(string localAddress, CookieContainer cookies)
    {
        var port = App.ServerAddress.Port;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = App.ServerAddress };
    }

    private static string ErrorOf(HttpResponseMessage response)
    {
        var page = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        var message = LoginError().Match(page);
        return message.Success ? WebUtility.HtmlDecode(message.Groups[1].Value).Split(" After", 2)[0] : $"(no error; {(int)response.StatusCode})";
    }

    [GeneratedRegex("id=\"login-error\"[^>]*>([^<]*)<")]
    private static partial Regex LoginError();
}

public sealed class SessionTestsOnSqlite(RealServerFixture<Sqlite> fixture) : SessionTests<Sqlite>(fixture);

public sealed class SessionTestsOnPostgres(RealServerFixture<Postgres> fixture) : SessionTests<Postgres>(fixture);
