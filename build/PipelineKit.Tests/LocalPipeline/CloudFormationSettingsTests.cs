namespace PipelineKit.Tests.LocalPipeline;

using PipelineKit.LocalPipeline;

/// <summary>The CloudFormation action's configuration as the local run reads it: what it accepts, and the errors that name
/// the field at fault.</summary>
public sealed class CloudFormationSettingsTests
{
    private static Dictionary<string, string> Replace(params (string Key, string Value)[] extra)
    {
        var configuration = new Dictionary<string, string>
        {
            ["ActionMode"] = "CHANGE_SET_REPLACE",
            ["StackName"] = "app",
            ["ChangeSetName"] = "app-pipeline",
            ["TemplatePath"] = "BuildOutput::sample-app/template.yaml",
        };
        foreach (var (key, value) in extra) configuration[key] = value;
        return configuration;
    }

    [Fact]
    public void Replace_ReadsEveryField()
    {
        var settings = CloudFormationSettings.Parse(Replace(
            ("Capabilities", "CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND"),
            ("RoleArn", "arn:aws:iam::222222222222:role/cfn"),
            ("TemplateConfiguration", "BuildOutput::sample-app/params-dev.json"),
            ("ParameterOverrides", "{\"A\": \"1\", \"B\": {\"Fn::GetArtifactAtt\": [\"BuildOutput\", \"ObjectKey\"]}, " +
                                   "\"C\": {\"Fn::GetParam\": [\"BuildOutput\", \"out.json\", \"Url\"]}}")));

        Assert.Equal(new ArtifactPath("BuildOutput", "sample-app/template.yaml"), settings.TemplatePath);
        Assert.Equal(new ArtifactPath("BuildOutput", "sample-app/params-dev.json"), settings.TemplateConfiguration);
        Assert.Equal(["CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"], settings.Capabilities);
        Assert.Equal("arn:aws:iam::222222222222:role/cfn", settings.RoleArn);
        Assert.Equal(new LiteralValue("1"), settings.ParameterOverrides["A"]);
        Assert.Equal(new GetArtifactAttValue("BuildOutput", "ObjectKey"), settings.ParameterOverrides["B"]);
        Assert.Equal(new GetParamValue("BuildOutput", "out.json", "Url"), settings.ParameterOverrides["C"]);
    }

    [Theory]
    [InlineData("template.yaml")]
    [InlineData("::template.yaml")]
    [InlineData("BuildOutput::")]
    [InlineData("BuildOutput:template.yaml")]
    public void TemplatePath_WithoutArtifactOrFile_IsAConfigurationError_NamingTheField(string value)
    {
        var failure = Assert.Throws<ActionFailedException>(() => CloudFormationSettings.Parse(Replace(("TemplatePath", value))));
        Assert.Equal("ConfigurationError", failure.ErrorCode);
        Assert.StartsWith($"TemplatePath '{value}' is not of the form ArtifactName::path", failure.Message);
    }

    [Fact]
    public void Replace_WithoutTemplatePath_IsRefused()
    {
        var configuration = Replace();
        configuration.Remove("TemplatePath");
        var failure = Assert.Throws<ActionFailedException>(() => CloudFormationSettings.Parse(configuration));
        Assert.Contains("TemplatePath is required", failure.Message);
    }

    [Theory]
    [InlineData("CREATE_UPDATE", "ActionMode CREATE_UPDATE is not supported")]
    [InlineData("DELETE_ONLY", "ActionMode DELETE_ONLY is not supported")]
    [InlineData("DEPLOY", "ActionMode 'DEPLOY' is not a CloudFormation action mode")]
    public void OtherModes_AreRefusedByName(string mode, string message)
    {
        var failure = Assert.Throws<ActionFailedException>(() => CloudFormationSettings.Parse(Replace(("ActionMode", mode))));
        Assert.Contains(message, failure.Message);
    }

    [Fact]
    public void OutputFileName_IsRefusedByName()
    {
        var failure = Assert.Throws<ActionFailedException>(() => CloudFormationSettings.Parse(Replace(("OutputFileName", "out.json"))));
        Assert.StartsWith("OutputFileName is not supported", failure.Message);
    }

    [Theory]
    [InlineData("{\"A\": ", "ParameterOverrides: it is not valid JSON")]
    [InlineData("[\"A\"]", "ParameterOverrides: it is not a JSON object")]
    [InlineData("{\"A\": 3}", "ParameterOverrides: A is a number")]
    [InlineData("{\"A\": {\"Fn::GetParam\": [\"Art\", \"f.json\"]}}", "ParameterOverrides: A: Fn::GetParam takes a list of 3 non-empty strings")]
    [InlineData("{\"A\": {\"Fn::GetArtifactAtt\": [\"Art\", \"Size\"]}}", "ParameterOverrides: A: Fn::GetArtifactAtt has no attribute 'Size'")]
    [InlineData("{\"A\": {\"Fn::Sub\": \"x\"}}", "ParameterOverrides: A is an object but not Fn::GetParam or Fn::GetArtifactAtt (found Fn::Sub)")]
    public void ParameterOverrides_Errors_NameTheParameter(string json, string message)
    {
        var failure = Assert.Throws<ActionFailedException>(() => ParameterOverrides.Parse(json));
        Assert.Equal("ConfigurationError", failure.ErrorCode);
        Assert.StartsWith(message, failure.Message);
    }

    [Fact]
    public void TemplateConfiguration_ReadsParametersAndTags()
    {
        var file = TemplateConfigurationFile.Parse("{\"Parameters\": {\"Env\": \"dev\"}, \"Tags\": {\"team\": \"a\"}}", "B::p.json");
        Assert.Equal("dev", file.Parameters["Env"]);
        Assert.Equal("a", file.Tags["team"]);
    }

    [Theory]
    [InlineData("{", "it is not valid JSON")]
    [InlineData("{\"Parameters\": {\"Env\": 3}}", "Parameters.Env is a number, not a string")]
    [InlineData("{\"Parameters\": [\"Env\"]}", "Parameters is not a JSON object")]
    [InlineData("{\"Params\": {}}", "'Params' is not a member of a template configuration file")]
    [InlineData("{\"StackPolicy\": {\"Statement\": []}}", "StackPolicy is not supported by the local pipeline run")]
    public void TemplateConfiguration_Errors_NameTheFileAndTheMember(string json, string message)
    {
        var failure = Assert.Throws<ActionFailedException>(() => TemplateConfigurationFile.Parse(json, "BuildOutput::p.json"));
        Assert.Equal("ConfigurationError", failure.ErrorCode);
        Assert.StartsWith($"TemplateConfiguration BuildOutput::p.json: {message}", failure.Message);
    }
}
