namespace PipelineKit.Configuration;

using System.Text.Json;

/// <summary><c>notifications</c>: who hears about pipeline runs and approvals, by email and in Slack.</summary>
internal static class NotificationsSection
{
    public const string Path = "notifications";
    public const string SlackPath = "notifications.slack";

    public static IReadOnlyList<string> Properties { get; } = ["emails", "slack"];

    public static IReadOnlyList<string> SlackProperties { get; } = ["workspaceId", "channelId"];

    public static NotificationSettings Read(ConfigReader reader, JsonElement root)
    {
        if (reader.OptionalObject(root, "", Path) is not { } notifications)
        {
            return new NotificationSettings([]);
        }

        reader.CheckProperties(notifications, Path, Properties);
        var emails = reader.OptionalStringArray(notifications, Path, "emails") ?? [];
        for (var i = 0; i < emails.Count; i++)
        {
            if (emails[i] is { } email && !ConfigPatterns.Email().IsMatch(email))
            {
                reader.Error($"{Path}.emails[{i}]", $"\"{email}\" is not an email address");
            }
        }

        var slack = reader.OptionalObject(notifications, Path, "slack") is { } slackElement ? ReadSlack(reader, slackElement) : null;
        return new NotificationSettings(emails.OfType<string>().ToArray(), slack);
    }

    private static SlackSettings? ReadSlack(ConfigReader reader, JsonElement slack)
    {
        reader.CheckProperties(slack, SlackPath, SlackProperties);
        var workspace = reader.RequiredString(slack, SlackPath, "workspaceId");
        var channel = reader.RequiredString(slack, SlackPath, "channelId");
        if (workspace is not null && !ConfigPatterns.SlackId().IsMatch(workspace))
        {
            reader.Error($"{SlackPath}.workspaceId", $"\"{workspace}\" is not a Slack workspace id (upper-case letters and digits, such as T0123ABCD; AWS Chatbot's console shows it after you authorize the workspace)");
        }

        if (channel is not null && !ConfigPatterns.SlackId().IsMatch(channel))
        {
            reader.Error($"{SlackPath}.channelId", $"\"{channel}\" is not a Slack channel id (upper-case letters and digits, such as C0123ABCD; Slack shows it under the channel's details)");
        }

        return workspace is null || channel is null ? null : new SlackSettings(workspace, channel);
    }
}
