namespace PipelineKit.Tests.Planning;

using System.Text.Json.Nodes;
using PipelineKit.Orchestration;
using PipelineKit.Planning;

public class TemplateReadingTests
{
    [Fact]
    public void ShortFormTags_BecomeTheLongForm()
    {
        var template = TemplateReader.Read("""
            Resources:
              R:
                Type: AWS::S3::Bucket
                Properties:
                  A: !Ref P
                  B: !GetAtt K.Arn
                  C: !If [Cond, !Sub '${P}-x', !Ref 'AWS::NoValue']
                  D: '30'
                  E: 30
            """);

        Assert.Equal("""{"A":{"Ref":"P"},"B":{"Fn::GetAtt":["K","Arn"]},"C":{"Fn::If":["Cond",{"Fn::Sub":"${P}-x"},{"Ref":"AWS::NoValue"}]},"D":"30","E":30}""",
            template["Resources"]!["R"]!["Properties"]!.ToJsonString());
    }

    [Fact]
    public void JsonTemplates_AreReadAsTheyAre() =>
        Assert.Equal("AWS::SNS::Topic", TemplateReader.Read("""{"Resources":{"T":{"Type":"AWS::SNS::Topic"}}}""")["Resources"]!["T"]!["Type"]!.ToString());

    [Fact]
    public void Parameters_ResolveRefSubJoinSplitSelectAndIf()
    {
        var template = TemplateReader.Read("""
            Parameters:
              Accounts: { Type: CommaDelimitedList }
              Name: { Type: String, Default: hello }
              Role: { Type: String, Default: '' }
            Conditions:
              HasRole: !Not [!Equals [!Ref Role, '']]
            Resources: {}
            """);
        var values = new TemplateValues(template, new Dictionary<string, string> { ["Accounts"] = "1,2" });
        JsonNode Node(string json) => JsonNode.Parse(json)!;

        Assert.Equal("""["1","2"]""", values.Resolve(Node("""{"Ref":"Accounts"}"""))!.ToJsonString());
        Assert.Equal("\"hello-1;2-${AWS::Region}\"",
            values.Resolve(Node("""{"Fn::Sub":["${Name}-${J}-${AWS::Region}",{"J":{"Fn::Join":[";",{"Ref":"Accounts"}]}}]}"""))!.ToJsonString());
        Assert.Equal("\"b\"", values.Resolve(Node("""{"Fn::Select":[1,{"Fn::Split":["/","a/b"]}]}"""))!.ToJsonString());
        Assert.Equal("""{"X":"no"}""", values.Resolve(Node("""{"X":{"Fn::If":["HasRole","yes","no"]},"Y":{"Fn::If":["HasRole","yes",{"Ref":"AWS::NoValue"}]}}"""))!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["K","Arn"]}""", values.Resolve(Node("""{"Fn::GetAtt":["K","Arn"]}"""))!.ToJsonString());
    }

    [Theory]
    [InlineData("foundation.yaml")]
    [InlineData("target-roles.yaml")]
    public void TheKitsTemplates_AreRead_WithTheirPolicyBearingResources(string file)
    {
        var resources = TemplateResources.Of(Templates.Read(file), new Dictionary<string, string> { ["StackRole"] = "primary" });

        Assert.Contains(resources, r => PolicyResources.IsSecurityRelevant(r.ResourceType));
    }
}
