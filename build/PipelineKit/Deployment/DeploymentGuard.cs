namespace PipelineKit.Deployment;

using Amazon.Runtime;
using PipelineKit.Aws;

/// <summary>Turns what a stack operation can throw besides its own <see cref="DeploymentException"/> (a wait that ran out,
/// an AWS error the flow does not handle) into a <see cref="DeploymentException"/> naming the stack and the next step.</summary>
internal static class DeploymentGuard
{
    public static async Task<T> RunAsync<T>(StackRef stack, string afterTimeout, Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new DeploymentException(DeploymentErrorCode.Timeout, stack.StackName, stack.Location, e.Message, afterTimeout, inner: e);
        }
        catch (AmazonServiceException e)
        {
            throw AwsError(stack, e);
        }
        catch (ConcurrentChangeException e)
        {
            // The stack kept changing under this run for every attempt: report the last AWS error as it is.
            throw AwsError(stack, e.Cause);
        }
    }

    private static DeploymentException AwsError(StackRef stack, AmazonServiceException e) =>
        new(DeploymentErrorCode.AwsError, stack.StackName, stack.Location,
            $"{e.ErrorCode}: {e.Message}", NextSteps.ForAwsError(e), awsErrorCode: e.ErrorCode, inner: e);
}
