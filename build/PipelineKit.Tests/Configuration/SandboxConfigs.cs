namespace PipelineKit.Tests.Configuration;

using PipelineKit.Configuration;

/// <summary>The configuration most unit tests take as a typical multi-account one: the bundled sandbox's as it was before its
/// test stages targeted an organizational unit, every environment naming its account (three target accounts, three regions,
/// CodeCommit in a fourth account). The bundled file itself (<see cref="PipelineConfigLoader.LoadSandbox"/>) names a unit,
/// whose accounts are known only once the kit resolves it against an organization.</summary>
internal static class SandboxConfigs
{
    public const string AccountsSourceName = "sandbox-accounts.json";

    public static PipelineConfig Accounts() => PipelineConfigLoader.Parse("""
        {
          "name": "sandbox",
          "build": { "account": "123456789012", "region": "us-east-1" },
          "assumeRoleName": "OrganizationAccountAccessRole",
          "environments": [
            { "name": "dev", "account": "222222222222", "region": "us-east-1" },
            { "name": "test", "account": "333333333333", "region": "us-west-2" },
            { "name": "test-eu", "account": "333333333333", "region": "eu-west-1" },
            { "name": "prod", "account": "444444444444", "region": "eu-west-1", "approval": true }
          ],
          "source": { "type": "CodeCommit", "repository": "pipelinekit-sandbox", "branch": "main", "account": "555555555555" },
          "deployers": ["arn:aws:iam::123456789012:user/moto"]
        }
        """, AccountsSourceName, ConfigContext.WithoutProfiles);
}
