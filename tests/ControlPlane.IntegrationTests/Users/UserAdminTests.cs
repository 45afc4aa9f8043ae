using ControlPlane.Core.Security;
using ControlPlane.Core.Users;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Users;

public abstract class UserAdminTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    private Task<T> WithUsers<T>(Func<UserAdminService, Task<T>> work) =>
        App.WithScopeAsync(sp => work(sp.GetRequiredService<UserAdminService>()));

    [Fact]
    public async Task An_admin_adds_a_user_with_a_generated_password_that_signs_in()
    {
        var email = $"{Guid.NewGuid():N}@test.local";
        var created = await WithUsers(u => u.CreateAsync(new CreateUserRequest { Email = email, Role = Roles.Analyst }, "admin"));

        Assert.True(created.IsOk, created.Message);
        Assert.Equal(Roles.Analyst, created.Value!.User.Role);
        var password = Assert.IsType<string>(created.Value.GeneratedPassword);
        using var client = App.CreateBrowserLikeClient();
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await client.SignInAsync(email, password)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/use-cases")).StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_named_and_duplicates_are_refused()
    {
        var invalid = await WithUsers(u => u.CreateAsync(new CreateUserRequest { Email = "not-an-email", Role = "Owner" }, "admin"));
        Assert.Contains("Email", invalid.Errors.Keys);
        Assert.Contains("'Owner' is unknown", invalid.Errors["Role"][0], StringComparison.Ordinal);

        var weak = await WithUsers(u => u.CreateAsync(new CreateUserRequest { Email = $"{Guid.NewGuid():N}@test.local", Role = Roles.Viewer, Password = "short" }, "admin"));
        Assert.Contains("Password", weak.Errors.Keys);

        var duplicate = await WithUsers(u => u.CreateAsync(new CreateUserRequest { Email = ControlPlaneApp.AdminEmail, Role = Roles.Viewer }, "admin"));
        Assert.Equal(Core.Common.ResultStatus.Conflict, duplicate.Status);
    }

    [Fact]
    public async Task The_last_admin_can_be_neither_demoted_nor_deleted()
    {
        foreach (var other in (await WithUsers(u => u.ListAsync())).Where(u => u.Role == Roles.Admin && u.Email != ControlPlaneApp.AdminEmail))
        {
            await WithUsers(u => u.SetRoleAsync(other.Id, Roles.Viewer, "admin"));
        }

        var admin = (await WithUsers(u => u.ListAsync())).Single(u => u.Email == ControlPlaneApp.AdminEmail);

        var demoted = await WithUsers(u => u.SetRoleAsync(admin.Id, Roles.Viewer, "admin"));
        var deleted = await WithUsers(u => u.DeleteAsync(admin.Id, "admin"));

        Assert.Contains("last admin", demoted.Message, StringComparison.Ordinal);
        Assert.Contains("last admin", deleted.Message, StringComparison.Ordinal);
        Assert.Equal(Roles.Admin, (await WithUsers(u => u.ListAsync())).Single(u => u.Email == ControlPlaneApp.AdminEmail).Role);
    }

    [Fact]
    public async Task A_locked_user_cannot_sign_in_until_unlocked_and_a_role_change_applies()
    {
        var email = $"{Guid.NewGuid():N}@test.local";
        const string password = "Lockable-Passw0rd";
        var user = (await WithUsers(u => u.CreateAsync(new CreateUserRequest { Email = email, Role = Roles.Viewer, Password = password }, "admin"))).Value!.User;

        Assert.True((await WithUsers(u => u.SetLockedAsync(user.Id, true, "admin"))).Value!.LockedOut);
        using (var client = App.CreateBrowserLikeClient())
        {
            // An administrator's lock holds even with the right password; the page says what it says for any failure.
            Assert.Contains("Sign-in failed", await (await client.SignInAsync(email, password)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        }

        await WithUsers(u => u.SetLockedAsync(user.Id, false, "admin"));
        using var again = App.CreateBrowserLikeClient();
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await again.SignInAsync(email, password)).StatusCode);
        Assert.Equal("/account/access-denied", (await again.GetAsync("/admin/users")).Headers.Location?.AbsolutePath);

        var promoted = await WithUsers(u => u.SetRoleAsync(user.Id, Roles.Analyst, "admin"));
        Assert.Equal(Roles.Analyst, promoted.Value!.Role);
        Assert.Equal(Roles.Analyst, (await WithUsers(u => u.ListAsync())).Single(u => u.Email == email).Role);
    }
}

public sealed class UserAdminTestsOnSqlite(AppFixture<Sqlite> fixture) : UserAdminTests<Sqlite>(fixture);

public sealed class UserAdminTestsOnPostgres(AppFixture<Postgres> fixture) : UserAdminTests<Postgres>(fixture);
