namespace PipelineKit.Reporting;

using PipelineKit.Errors;
using PipelineKit.Messages;
using Serilog;
using Serilog.Events;

/// <summary>
/// The messages in the log file, each with its code as the property {Code}, so the record of a run has what the user
/// saw beside the deployment events, and a search by code finds every message of a kind. Written through the kit's
/// logger under this class's source context, which <see cref="KitLogging"/> keeps off the console (the console view
/// shows the message already).
/// </summary>
public sealed class LogFileMessages : IKitMessages
{
    private readonly ILogger logger;

    public LogFileMessages(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        this.logger = logger.ForContext<LogFileMessages>();
    }

    public void Report(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        logger.ForContext("Code", message.Code).Write(Level(message.Level), "{Text}", message.Text);
    }

    /// <summary>Records what ended a target: its code, class and next step when it is the kit's, and the exception with
    /// its inner ones. Cake prints the message on the console.</summary>
    public void Failed(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure is KitException kit)
        {
            logger.Error(failure, "Failed: {Code} ({Failure}): {Text} Next step: {NextStep}",
                kit.Code, kit.Failure.ToString(), kit.Message, kit.NextStep ?? "see the message");
        }
        else
        {
            logger.Error(failure, "Failed: {Text}", failure.Message);
        }
    }

    private static LogEventLevel Level(MessageLevel level) => level switch
    {
        MessageLevel.Warning => LogEventLevel.Warning,
        MessageLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Information,
    };
}
