using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.Users;
using ControlPlane.Web.Components.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Admin;

/// <summary>The users page limits a user to tenants and regions ("acme, region:eu") and shows it; admins get no field.</summary>
public sealed class UserScopeTests : CoreTestContext
{
    [Fact]
    public async Task A_scope_typed_on_the_users_page_is_stored_and_shown_and_an_admin_has_no_scope_field()
    {
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            db.Tenants.Add(new Tenant { Id = Guid.NewGuid(), Slug = "acme-scope", Name = "Acme", Region = "us", SearchText = "acme-scope acme" });
            await db.SaveChangesAsync();
        }

        using (var scope = Services.CreateScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.RoleManager<Microsoft.AspNetCore.Identity.IdentityRole>>();
            foreach (var role in Roles.All)
            {
                await roles.CreateAsync(new Microsoft.AspNetCore.Identity.IdentityRole(role)); // what the app seeds at start
            }
        }

        var created = await Services.GetRequiredService<UserAdminService>()
            .CreateAsync(new CreateUserRequest { Email = "limited@test.local", Role = Roles.Viewer, Password = "Limited-Passw0rd" }, "admin");
        Assert.True(created.IsOk, created.Message);
        await Services.GetRequiredService<UserAdminService>()
            .CreateAsync(new CreateUserRequest { Email = "boss@test.local", Role = Roles.Admin, Password = "Boss-Passw0rd-1" }, "admin");

        var cut = Render<Users>();
        Assert.Empty(cut.FindAll("[id='scope-boss@test.local']"));
        cut.Find("[id='scope-limited@test.local']").Change("acme-scope, region:eu");

        cut.WaitForAssertion(() =>
        {
            var user = Services.GetRequiredService<UserAdminService>().ListAsync().GetAwaiter().GetResult().Single(u => u.Email == "limited@test.local");
            Assert.Equal(["acme-scope"], user.Scope?.Tenants);
            Assert.Equal(["eu"], user.Scope?.Regions);
        });
    }
}
