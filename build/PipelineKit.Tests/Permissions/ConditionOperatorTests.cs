namespace PipelineKit.Tests.Permissions;

using PipelineKit.Permissions;

/// Condition operators and their absent-key behaviour:
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
public class ConditionOperatorTests
{
    /// <summary>
    /// An Allow statement with one condition on "test:Key"; policy values and request values are "|"-separated,
    /// a null request means the key is absent and "" means present with no values.
    /// </summary>
    private static bool Holds(string op, string policyValues, string? requestValues)
    {
        var values = string.Join(",", policyValues.Split('|').Select(v => $"'{v}'"));
        var identity = Iam.Identity($"{{'Effect':'Allow','Action':'*','Resource':'*','Condition':{{'{op}':{{'test:Key':[{values}]}}}}}}");
        var context = requestValues is null
            ? []
            : new[] { ("test:Key", requestValues.Length == 0 ? [] : requestValues.Split('|')) };
        return Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home, context), identity).Allowed;
    }

    [Theory]
    [InlineData("StringEquals", "a", "a", true)]
    [InlineData("StringEquals", "a", "A", false)]
    [InlineData("StringEquals", "a|b", "b", true)]
    [InlineData("StringEquals", "a*", "abc", false)]
    [InlineData("StringEquals", "a", null, false)]
    [InlineData("StringNotEquals", "a", "b", true)]
    [InlineData("StringNotEquals", "a|b", "b", false)]
    [InlineData("StringNotEquals", "a|b", "c", true)]
    [InlineData("StringNotEquals", "a", null, true)]
    [InlineData("StringEqualsIgnoreCase", "abc", "ABC", true)]
    [InlineData("StringEqualsIgnoreCase", "abc", null, false)]
    [InlineData("StringNotEqualsIgnoreCase", "abc", "ABC", false)]
    [InlineData("StringNotEqualsIgnoreCase", "abc", "xyz", true)]
    [InlineData("StringNotEqualsIgnoreCase", "abc", null, true)]
    [InlineData("StringLike", "arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y", true)]
    [InlineData("StringLike", "a?c", "abc", true)]
    [InlineData("StringLike", "a?c", "abbc", false)]
    [InlineData("StringLike", "A*", "abc", false)]
    [InlineData("StringLike", "a*", null, false)]
    [InlineData("StringNotLike", "a*", "abc", false)]
    [InlineData("StringNotLike", "a*|x*", "yz", true)]
    [InlineData("StringNotLike", "a*", null, true)]
    public void StringOperators(string op, string policy, string? request, bool expected) =>
        Assert.Equal(expected, Holds(op, policy, request));

    [Theory]
    [InlineData("ArnEquals", "arn:aws:iam::111122223333:role/*", "arn:aws:iam::111122223333:role/app", true)]
    [InlineData("ArnLike", "arn:aws:iam::*:role/app", "arn:aws:iam::444455556666:role/app", true)]
    [InlineData("ArnLike", "arn:aws:codepipeline:eu-west-1:111122223333:hello-*", "arn:aws:codepipeline:eu-west-1:111122223333:hello-pipeline", true)]
    [InlineData("ArnLike", "arn:aws:s3:::*", "arn:aws:iam::111122223333:role/app", false)]
    [InlineData("ArnLike", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/App", false)]
    [InlineData("ArnLike", "arn:aws:iam::111122223333:role/app", "not-an-arn", false)]
    [InlineData("ArnLike", "arn:aws:iam::111122223333:role/app", null, false)]
    [InlineData("ArnNotEquals", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/other", true)]
    [InlineData("ArnNotEquals", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/app", false)]
    [InlineData("ArnNotLike", "arn:aws:iam::*:role/app*", "arn:aws:iam::111122223333:role/app-2", false)]
    [InlineData("ArnNotLike", "arn:aws:iam::*:role/app", null, true)]
    public void ArnOperators_CompareSegmentBySegment(string op, string policy, string? request, bool expected) =>
        Assert.Equal(expected, Holds(op, policy, request));

    [Theory]
    [InlineData("Bool", "true", "true", true)]
    [InlineData("Bool", "true", "TRUE", true)]
    [InlineData("Bool", "true", "false", false)]
    [InlineData("Bool", "false", null, false)]
    [InlineData("BoolIfExists", "false", null, true)]
    [InlineData("Null", "true", null, true)]
    [InlineData("Null", "true", "x", false)]
    [InlineData("Null", "false", "x", true)]
    [InlineData("Null", "false", null, false)]
    [InlineData("Null", "true", "", true)]
    public void BoolAndNull(string op, string policy, string? request, bool expected) =>
        Assert.Equal(expected, Holds(op, policy, request));

    [Theory]
    [InlineData("NumericEquals", "10", "10", true)]
    [InlineData("NumericEquals", "10", "10.0", true)]
    [InlineData("NumericNotEquals", "10", "11", true)]
    [InlineData("NumericNotEquals", "10", null, true)]
    [InlineData("NumericLessThan", "10", "9", true)]
    [InlineData("NumericLessThan", "10", "10", false)]
    [InlineData("NumericLessThan", "10", null, false)]
    [InlineData("NumericLessThanEquals", "10", "10", true)]
    [InlineData("NumericGreaterThan", "10", "11", true)]
    [InlineData("NumericGreaterThanEquals", "10", "9", false)]
    [InlineData("NumericLessThanIfExists", "10", null, true)]
    [InlineData("NumericLessThanIfExists", "10", "12", false)]
    public void NumericOperators_ReadRequestAgainstPolicy(string op, string policy, string? request, bool expected) =>
        Assert.Equal(expected, Holds(op, policy, request));

    [Theory]
    [InlineData("DateEquals", "2024-01-01T00:00:00Z", "1704067200", true)]
    [InlineData("DateNotEquals", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", true)]
    [InlineData("DateNotEquals", "2024-01-01T00:00:00Z", null, true)]
    [InlineData("DateLessThan", "2024-01-01T00:00:00Z", "2023-12-31T23:59:59Z", true)]
    [InlineData("DateLessThanEquals", "2024-01-01T00:00:00Z", "2024-01-01T01:00:00+01:00", true)]
    [InlineData("DateGreaterThan", "2024-01-01T00:00:00Z", "2023-06-01T00:00:00Z", false)]
    [InlineData("DateGreaterThanEquals", "2024-01-01", "2024-01-01T00:00:00Z", true)]
    [InlineData("DateGreaterThan", "2024-01-01T00:00:00Z", null, false)]
    public void DateOperators_AcceptIsoAndEpoch(string op, string policy, string? request, bool expected) =>
        Assert.Equal(expected, Holds(op, policy, request));

    [Theory]
    [InlineData("IpAddress", "203.0.113.0/24", "203.0.113.7", true)]
    [InlineData("IpAddress", "203.0.113.0/24", "198.51.100.1", false)]
    [InlineData("IpAddress", "203.0.113.7", "203.0.113.7", true)]
    [InlineData("IpAddress", "2001:db8::/32", "2001:db8::1", true)]
    [InlineData("IpAddress", "203.0.113.0/24", null, false)]
    [InlineData("NotIpAddress", "203.0.113.0/24|10.0.0.0/8", "198.51.100.1", true)]
    [InlineData("NotIpAddress", "203.0.113.0/24|10.0.0.0/8", "10.1.2.3", false)]
    [InlineData("NotIpAddress", "203.0.113.0/24", null, true)]
    public void IpOperators_MatchCidrs(string op, string policy, string? request, bool expected) =>
        Assert.Equal(expected, Holds(op, policy, request));

    [Theory]
    [InlineData("StringEqualsIfExists", "a", null, true)]
    [InlineData("StringEqualsIfExists", "a", "b", false)]
    [InlineData("StringNotEqualsIfExists", "a", null, true)]
    [InlineData("StringNotEqualsIfExists", "a", "a", false)]
    [InlineData("ArnLikeIfExists", "arn:aws:iam::*:role/app", null, true)]
    [InlineData("IpAddressIfExists", "10.0.0.0/8", null, true)]
    public void IfExists_HoldsWhenTheKeyIsAbsent(string op, string policy, string? request, bool expected) =>
        Assert.Equal(expected, Holds(op, policy, request));

    [Theory]
    [InlineData("ForAllValues:StringEquals", "a|b", "a", true)]
    [InlineData("ForAllValues:StringEquals", "a|b", "a|b", true)]
    [InlineData("ForAllValues:StringEquals", "a|b", "a|c", false)]
    [InlineData("ForAllValues:StringEquals", "a|b", null, true)]
    [InlineData("ForAllValues:StringEquals", "a|b", "", true)]
    [InlineData("ForAllValues:StringLike", "tag-*", "tag-1|tag-2", true)]
    [InlineData("ForAllValues:StringNotEquals", "a", "b|c", true)]
    [InlineData("ForAllValues:StringNotEquals", "a", "a|b", false)]
    [InlineData("ForAnyValue:StringEquals", "a|b", "c|b", true)]
    [InlineData("ForAnyValue:StringEquals", "a|b", "c", false)]
    [InlineData("ForAnyValue:StringEquals", "a|b", null, false)]
    [InlineData("ForAnyValue:StringNotEquals", "a", "a|b", true)]
    [InlineData("ForAnyValue:StringNotEquals", "a", "a", false)]
    [InlineData("ForAnyValue:StringEqualsIfExists", "a", null, true)]
    public void SetQualifiers_OnMultivaluedKeys(string op, string policy, string? request, bool expected) =>
        Assert.Equal(expected, Holds(op, policy, request));

    [Fact]
    public void SeveralOperatorsAndKeys_MustAllHold()
    {
        var identity = Iam.Identity("""
            {'Effect':'Allow','Action':'*','Resource':'*','Condition':{
              'StringEquals':{'aws:SourceAccount':'111122223333','aws:RequestTag/team':'build'},
              'Bool':{'aws:SecureTransport':'true'}}}
            """);
        AccessDecision With(params (string, string[])[] context) =>
            Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home, context), identity);

        Assert.True(With(("aws:SourceAccount", [Iam.Home]), ("aws:RequestTag/team", ["build"]), ("aws:SecureTransport", ["true"])).Allowed);
        Assert.False(With(("aws:SourceAccount", [Iam.Home]), ("aws:RequestTag/team", ["build"]), ("aws:SecureTransport", ["false"])).Allowed);
        Assert.False(With(("aws:SourceAccount", [Iam.Home]), ("aws:SecureTransport", ["true"])).Allowed);
    }

    [Fact]
    public void ConditionKeyNames_AreCaseInsensitive_ValuesAreNot()
    {
        var identity = Iam.Identity("{'Effect':'Allow','Action':'*','Resource':'*','Condition':{'StringEquals':{'AWS:SourceAccount':'111122223333'}}}");

        Assert.True(Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home, ("aws:sourceaccount", [Iam.Home])), identity).Allowed);
    }

    [Fact]
    public void ConditionPolicyVariable_IsSubstitutedFromTheContext()
    {
        var identity = Iam.Identity("{'Effect':'Allow','Action':'*','Resource':'*','Condition':{'StringEquals':{'aws:ResourceAccount':'${aws:PrincipalAccount}'}}}");

        Assert.True(Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home, ("aws:ResourceAccount", [Iam.Home])), identity).Allowed);
        Assert.False(Iam.Evaluate(Iam.Request(Iam.App, "s3:GetObject", Iam.Object, Iam.Home, ("aws:ResourceAccount", [Iam.Other])), identity).Allowed);
    }
}
