namespace PipelineKit.Tests.Configuration;

using PipelineKit.Configuration;

public sealed class DidYouMeanTests
{
    [Theory]
    [InlineData("sandbx", "sandbox")]
    [InlineData("us-est-1", "us-east-1")]
    [InlineData("EU-WEST-1", "eu-west-1")]
    [InlineData("codecommit", "CodeCommit")]
    public void ClosestMatch_OnATypo_NamesTheCandidateMeant(string typo, string expected)
    {
        string[] candidates = ["sandbox", "profile", "us-east-1", "eu-west-1", "S3", "CodeStarConnection", "CodeCommit"];

        Assert.Equal(expected, DidYouMean.ClosestMatch(typo, candidates));
    }

    [Theory]
    [InlineData("deploy")]
    [InlineData("")]
    public void ClosestMatch_OnAWordNothingLike_AnyCandidate_SuggestsNothing(string value)
    {
        Assert.Null(DidYouMean.ClosestMatch(value, ["sandbox", "parallelism", "exclusive"]));
    }

    [Fact]
    public void ClosestMatch_WithoutCandidates_SuggestsNothing()
    {
        Assert.Null(DidYouMean.ClosestMatch("sandbox", []));
    }

    [Theory]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("profile", "profile", 0)]
    public void EditDistance_CountsInsertionsDeletionsAndSubstitutions(string a, string b, int expected)
    {
        Assert.Equal(expected, DidYouMean.EditDistance(a, b));
    }
}
