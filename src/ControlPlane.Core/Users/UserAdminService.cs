using System.Security.Cryptography;
using ControlPlane.Core.Common;
using ControlPlane.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Core.Users;

public sealed record UserSummary(string Id, string Email, string DisplayName, string Role, DateTime CreatedAt, DateTime? LastSignInAt, bool LockedOut,
    Security.TenantScope? Scope = null);

public sealed class CreateUserRequest
{
    public string? Email { get; set; }
    public string? DisplayName { get; set; }
    public string? Role { get; set; }

    /// <summary>Leave empty to generate one; it is shown once.</summary>
    public string? Password { get; set; }
}

public sealed record UserCreated(UserSummary User, string? GeneratedPassword);

/// <summary>User administration for admins: one role per user (Admin, Analyst or Viewer).</summary>
public sealed class UserAdminService(
    UserManager<ApplicationUser> users, IDbContextFactory<Data.ControlPlaneDbContext> dbs, Storage.RegionCatalog regions, TimeProvider time,
    ILogger<UserAdminService> logger)
{
    /// <summary>
    /// Limits the user to tenants and/or regions (both empty: every tenant). Admins cannot be limited; an admin given a
    /// scope must first become an Analyst or Viewer. The user stays signed in: the principal is rebuilt from the user at
    /// every request (the security stamp check), so the scope applies at the next one.
    /// </summary>
    public async Task<Result<UserSummary>> SetScopeAsync(string userId, IReadOnlyList<string>? tenants, IReadOnlyList<string>? scopeRegions, string actor)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Result<UserSummary>.NotFound($"User {userId} does not exist.");
        }

        var role = (await users.GetRolesAsync(user)).FirstOrDefault();
        var errors = new ValidationErrors();
        await using var db = await dbs.CreateDbContextAsync();
        var scope = await Security.ApiTokenService.ScopeProblemsAsync(db, regions, role, tenants, scopeRegions, errors, CancellationToken.None);
        if (errors.Any)
        {
            return Result<UserSummary>.Invalid(errors);
        }

        user.Scope = scope?.Serialize();
        await users.UpdateAsync(user);
        logger.LogInformation("User {Email} limited to {Scope} by {Actor}", user.Email, scope?.Describe() ?? "every tenant", actor);
        return Result<UserSummary>.Ok(await SummaryAsync(user));
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken ct = default)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var result = new List<UserSummary>(all.Count);
        foreach (var user in all)
        {
            result.Add(await SummaryAsync(user));
        }

        return result;
    }

    public async Task<Result<UserCreated>> CreateAsync(CreateUserRequest request, string actor)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Email) || !request.Email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add(nameof(request.Email), "A valid email address is required.");
        }

        if (!Roles.IsKnown(request.Role))
        {
            errors.Add(nameof(request.Role), $"Role '{request.Role}' is unknown; use one of {string.Join(", ", Roles.All)}.");
        }

        if (errors.Any)
        {
            return Result<UserCreated>.Invalid(errors);
        }

        var email = request.Email!.Trim();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return Result<UserCreated>.Conflict(nameof(request.Email), $"A user with email '{email}' already exists.");
        }

        var generated = string.IsNullOrEmpty(request.Password) ? GeneratePassword() : null;
        var user = new ApplicationUser
        {
            UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email : request.DisplayName.Trim(),
            CreatedAt = Clock.UtcNow(time),
        };
        var created = await users.CreateAsync(user, request.Password is { Length: > 0 } p ? p : generated!);
        if (!created.Succeeded)
        {
            return Result<UserCreated>.Invalid(ToErrors(created));
        }

        await users.AddToRoleAsync(user, request.Role!);
        logger.LogInformation("User {Email} created with role {Role} by {Actor}", email, request.Role, actor);
        return Result<UserCreated>.Ok(new UserCreated(await SummaryAsync(user), generated));
    }

    public async Task<Result<UserSummary>> SetRoleAsync(string userId, string role, string actor)
    {
        if (!Roles.IsKnown(role))
        {
            return Result<UserSummary>.Invalid("Role", $"Role '{role}' is unknown; use one of {string.Join(", ", Roles.All)}.");
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Result<UserSummary>.NotFound($"User {userId} does not exist.");
        }

        var current = await users.GetRolesAsync(user);
        if (current.Contains(Roles.Admin) && role != Roles.Admin && await IsLastAdminAsync())
        {
            return Result<UserSummary>.Invalid("Role", "The last admin cannot lose the Admin role.");
        }

        await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        logger.LogInformation("User {Email} given role {Role} by {Actor}", user.Email, role, actor);
        return Result<UserSummary>.Ok(await SummaryAsync(user));
    }

    public async Task<Result<UserSummary>> SetLockedAsync(string userId, bool locked, string actor)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Result<UserSummary>.NotFound($"User {userId} does not exist.");
        }

        await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (!locked)
        {
            await users.ResetAccessFailedCountAsync(user);
        }

        logger.LogInformation("User {Email} {Action} by {Actor}", user.Email, locked ? "locked" : "unlocked", actor);
        return Result<UserSummary>.Ok(await SummaryAsync(user));
    }

    public async Task<Result<bool>> DeleteAsync(string userId, string actor)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Result<bool>.NotFound($"User {userId} does not exist.");
        }

        if ((await users.GetRolesAsync(user)).Contains(Roles.Admin) && await IsLastAdminAsync())
        {
            return Result<bool>.Invalid("User", "The last admin cannot be deleted.");
        }

        await users.DeleteAsync(user);
        logger.LogInformation("User {Email} deleted by {Actor}", user.Email, actor);
        return Result<bool>.Ok(true);
    }

    public static string GeneratePassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 4)
        + RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyz", 6)
        + RandomNumberGenerator.GetString("23456789", 4)
        + RandomNumberGenerator.GetString("!#%+-=?@", 2);

    private async Task<bool> IsLastAdminAsync() => (await users.GetUsersInRoleAsync(Roles.Admin)).Count <= 1;

    private async Task<UserSummary> SummaryAsync(ApplicationUser u)
    {
        var role = (await users.GetRolesAsync(u)).FirstOrDefault() ?? Roles.Viewer;
        var locked = u.LockoutEnd is { } end && end > time.GetUtcNow();
        return new UserSummary(u.Id, u.Email ?? "", u.DisplayName, role, u.CreatedAt, u.LastSignInAt, locked, Security.TenantScope.Parse(u.Scope));
    }

    private static ValidationErrors ToErrors(IdentityResult result)
    {
        var errors = new ValidationErrors();
        foreach (var e in result.Errors)
        {
            errors.Add(e.Code.Contains("Password", StringComparison.Ordinal) ? "Password" : "Email", e.Description);
        }

        return errors;
    }
}
