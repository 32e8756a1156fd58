namespace PipelineKit.Tests.Organizations;

using PipelineKit.Accounts;
using PipelineKit.Testing;

/// <summary>Where accounts sit in their organization, as the local run's permission check gives them to role sessions
/// (aws:PrincipalOrgID, aws:PrincipalOrgPaths): read from Organizations, each account its own path, never its unit's guessed.</summary>
public sealed class OrganizationPlacesTests
{
    [Fact]
    public async Task ReadAsync_GivesEachAccountThePathOfItsOwnParents_AndLeavesOutAnAccountOutsideTheOrganization()
    {
        var organization = new FakeOrganizations()
            .AddUnit("ou-ab12-11111111").AddUnit("ou-ab12-22222222", "ou-ab12-11111111")
            .AddAccount("333333333333", "ou-ab12-11111111")
            .AddAccount("666666666666", "ou-ab12-22222222")
            .AddAccount("555555555555", "r-ab12");

        var places = await OrganizationPlaces.ReadAsync(organization, ["333333333333", "666666666666", "555555555555", "999999999999"], CancellationToken.None);

        Assert.Equal(new OrganizationPlace("o-a1b2c3d4e5", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"), places["333333333333"]);
        Assert.Equal("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/", places["666666666666"].Path);
        Assert.Equal("o-a1b2c3d4e5/r-ab12/", places["555555555555"].Path);
        Assert.False(places.ContainsKey("999999999999"));
    }

    [Fact]
    public async Task ReadAsync_WhenTheCallerIsInNoOrganization_KnowsNoPlace()
    {
        var organization = new FakeOrganizations { NotInUse = true }.AddAccount("333333333333", "r-ab12");

        var places = await OrganizationPlaces.ReadAsync(organization, ["333333333333"], CancellationToken.None);

        Assert.Empty(places);
        Assert.Equal(["DescribeOrganization"], organization.Calls);
    }
}
