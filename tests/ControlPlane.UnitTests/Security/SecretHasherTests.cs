using ControlPlane.Core.Security;

namespace ControlPlane.UnitTests.Security;

public class SecretHasherTests
{
    [Fact]
    public void New_secrets_are_unique_and_carry_their_prefix()
    {
        var (a, prefixA) = SecretHasher.NewSecret("cpk");
        var (b, _) = SecretHasher.NewSecret("cpk");

        Assert.NotEqual(a, b);
        Assert.StartsWith($"cpk_{prefixA}_", a, StringComparison.Ordinal);
        Assert.Equal(prefixA, SecretHasher.PrefixOf(a, "cpk"));
        Assert.Equal(45, a.Length);
    }

    [Theory]
    [InlineData("cpt_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")]
    [InlineData("cpk_AAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")]
    [InlineData("cpk_AAAAAAAA")]
    [InlineData("")]
    public void Secrets_of_another_kind_or_shape_have_no_prefix(string secret) => Assert.Null(SecretHasher.PrefixOf(secret, "cpk"));

    [Fact]
    public void The_hash_matches_only_its_secret()
    {
        var (secret, _) = SecretHasher.NewSecret("cpt");
        var hash = SecretHasher.Hash(secret);

        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain(secret, hash, StringComparison.Ordinal);
        Assert.True(SecretHasher.Matches(secret, hash));
        Assert.False(SecretHasher.Matches(secret + "x", hash));
        Assert.False(SecretHasher.Matches(secret, SecretHasher.Hash("other")));
    }
}
