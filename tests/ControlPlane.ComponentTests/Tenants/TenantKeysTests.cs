using Bunit;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.Web.Components.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Tenants;

/// <summary>Issue 18: rotating a key asks first, says how long the old key keeps working, and the list says until when.</summary>
public sealed class TenantKeysTests : CoreTestContext
{
    [Fact]
    public async Task Rotation_is_confirmed_with_the_overlap_and_the_old_key_is_shown_working_until_its_end()
    {
        Auth.SetPolicies(Policies.Read, Policies.Administer);
        var tenants = Services.GetRequiredService<TenantService>();
        var created = await tenants.CreateAsync(new CreateTenantRequest { Name = "Keys Co", Slug = "keys-co", Region = "us" }, "test");
        Assert.True(created.IsOk, created.Message);
        var changed = 0;
        var cut = Render<TenantKeys>(p => p.Add(x => x.Tenant, created.Value!.Tenant).Add(x => x.Changed, () => changed++));

        cut.Find("#rotate-key").Click();

        // Nothing happens before the confirmation, which proposes the configured overlap.
        Assert.Single((await tenants.GetAsync("keys-co"))!.ApiKeys);
        Assert.Contains("keeps working", cut.Find("#rotate-confirm").TextContent, StringComparison.Ordinal);
        Assert.Equal("24", cut.Find("#rotate-overlap").GetAttribute("value"));
        cut.Find("#rotate-cancel").Click();
        Assert.Empty(cut.FindAll("#rotate-confirm"));

        cut.Find("#rotate-key").Click();
        await cut.Find("#rotate-confirm-button").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("The previous key works until", cut.Find("#new-key-note").TextContent, StringComparison.Ordinal));
        Assert.StartsWith("cpk_", cut.Find("#new-api-key").GetAttribute("value"), StringComparison.Ordinal);
        Assert.Equal(1, changed);
        var keys = (await tenants.GetAsync("keys-co"))!.ApiKeys;
        Assert.Equal(2, keys.Count);
        var old = Assert.Single(keys, k => k.ExpiresAt is not null);
        Assert.InRange(old.ExpiresAt!.Value, DateTime.UtcNow.AddHours(23.9), DateTime.UtcNow.AddHours(24.1));

        // The list, rendered again, says so.
        var now = (await tenants.GetAsync("keys-co"))!;
        var again = Render<TenantKeys>(p => p.Add(x => x.Tenant, now));
        Assert.StartsWith("rotated out: works until", again.Find("[data-key-status='expiring']").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Single(again.FindAll("[data-key-status='active']"));
    }
}
