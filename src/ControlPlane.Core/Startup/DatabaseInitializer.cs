using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using ControlPlane.Core.Security;
using ControlPlane.Core.UseCases;
using ControlPlane.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Startup;

/// <summary>
/// Runs before the web server listens: applies migrations, checks the stored key ring against this node's master key
/// (encrypting keys an earlier version stored in plaintext), seeds roles and built-in use cases,
/// creates the first admin when there are no users, and seeds the demo tenants on the embedded default.
/// </summary>
public sealed class DatabaseInitializer(
    IServiceProvider services, IOptions<ControlPlaneOptions> options, TimeProvider time, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        var sp = scope.ServiceProvider;
        var settings = options.Value;
        await using (var db = await sp.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            if (settings.Database.MigrateOnStart)
            {
                var strategy = db.Database.CreateExecutionStrategy();
                await strategy.ExecuteAsync(() => db.Database.MigrateAsync(cancellationToken));
            }

            await SeedUseCasesAsync(db, cancellationToken);
        }

        await sp.GetRequiredService<KeyRingEncryption>().CheckAndEncryptAsync(cancellationToken);
        await VerdictsOfEarlierChecksAsync(sp, cancellationToken);

        await SeedRolesAsync(sp.GetRequiredService<RoleManager<IdentityRole>>());
        await BootstrapAdminAsync(sp.GetRequiredService<UserManager<ApplicationUser>>(), settings.Bootstrap);

        if (settings.Demo.Seed ?? settings.Database.Provider == DatabaseProvider.Sqlite)
        {
            await sp.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Health rows written before verdicts were stored (decision 0045) get theirs now, so no page shows "no data" for an
    /// enrollment that was checked; after that every check keeps its verdict current and this finds nothing.
    /// </summary>
    private async Task VerdictsOfEarlierChecksAsync(IServiceProvider sp, CancellationToken ct)
    {
        List<Guid> ids;
        await using (var db = await sp.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync(ct))
        {
            ids = await db.EnrollmentHealth.Where(h => h.Verdict == null && (h.Drift != null || h.Decay != null || h.Sla != null))
                .Select(h => h.EnrollmentId).ToListAsync(ct);
        }

        var verdicts = sp.GetRequiredService<Monitoring.Health.HealthVerdictService>();
        foreach (var id in ids)
        {
            await verdicts.UpdateAsync(id, ct);
        }

        if (ids.Count > 0)
        {
            logger.LogInformation("Stored the health verdict of {Count} enrollment(s) checked before verdicts were kept", ids.Count);
        }
    }

    private async Task SeedUseCasesAsync(ControlPlaneDbContext db, CancellationToken ct)
    {
        var existing = await db.UseCases.Select(u => u.Key).ToListAsync(ct);
        var missing = BuiltInUseCases.All().Where(u => !existing.Contains(u.Key)).ToList();
        foreach (var useCase in missing)
        {
            useCase.Id = Guid.NewGuid();
            useCase.IsBuiltIn = true;
            useCase.CreatedAt = Clock.UtcNow(time);
            useCase.CreatedBy = "system";
            db.UseCases.Add(useCase);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node starting at the same time may have seeded them first; anything else is a real failure.
            if (await db.UseCases.AsNoTracking().CountAsync(u => u.IsBuiltIn, ct) < missing.Count)
            {
                throw;
            }

            logger.LogInformation("Built-in use cases were seeded by another node");
        }
    }

    private static async Task SeedRolesAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in Roles.All)
        {
            // A failure here means another node created the role first; the check below is the one that counts.
            if (!await roles.RoleExistsAsync(role) && !(await roles.CreateAsync(new IdentityRole(role))).Succeeded
                && !await roles.RoleExistsAsync(role))
            {
                throw new InvalidOperationException($"Could not create the role {role}.");
            }
        }
    }

    private async Task BootstrapAdminAsync(UserManager<ApplicationUser> users, BootstrapOptions bootstrap)
    {
        if (await users.Users.AnyAsync())
        {
            return;
        }

        var email = string.IsNullOrWhiteSpace(bootstrap.AdminEmail) ? "admin@controlplane.local" : bootstrap.AdminEmail.Trim();
        var generated = string.IsNullOrEmpty(bootstrap.AdminPassword);
        var password = generated ? UserAdminService.GeneratePassword() : bootstrap.AdminPassword!;
        var admin = new ApplicationUser
        {
            UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true, DisplayName = "Administrator", CreatedAt = Clock.UtcNow(time),
        };
        var result = await users.CreateAsync(admin, password);
        if (!result.Succeeded && await users.Users.AnyAsync())
        {
            logger.LogInformation("The first admin was created by another node");
            return;
        }

        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                "Could not create the first admin from ControlPlane:Bootstrap: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(admin, Roles.Admin);
        logger.LogInformation("Created the first admin {Email}", email);
        if (generated)
        {
            // Printed once to the console on purpose, not through logging: log sinks must never hold secrets.
            Console.WriteLine();
            Console.WriteLine("==============================================================");
            Console.WriteLine($" ControlPlane first start: sign in as {email}");
            Console.WriteLine($" with the generated password: {password}");
            Console.WriteLine(" It is shown only this once. Change it under Admin > Users.");
            Console.WriteLine("==============================================================");
            Console.WriteLine();
        }
    }
}
