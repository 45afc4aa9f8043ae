using System.Net;
using System.Text.RegularExpressions;

namespace ControlPlane.IntegrationTests.Infrastructure;

/// <summary>Signs in through the real sign-in form: antiforgery token, form post, auth cookie.</summary>
public static partial class SignInClient
{
    public static HttpClient CreateBrowserLikeClient(this ControlPlaneApp app) =>
        app.CreateClient(app.NoRedirects());

    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password, bool withAntiforgery = true)
    {
        var page = await (await client.GetAsync("/account/login")).Content.ReadAsStringAsync();
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        };
        if (withAntiforgery)
        {
            fields["__RequestVerificationToken"] = AntiforgeryTokenOf(page);
        }

        return await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));
    }

    /// <summary>The antiforgery token of the first form on <paramref name="page"/>.</summary>
    public static string AntiforgeryTokenOf(string page) => WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
