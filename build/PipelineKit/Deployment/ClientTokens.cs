namespace PipelineKit.Deployment;

using System.Security.Cryptography;
using System.Text;

/// <summary>Client tokens make retried requests idempotent; at most 128 characters, [a-zA-Z0-9][-a-zA-Z0-9]*.</summary>
internal static class ClientTokens
{
    public static string For(string purpose, string seed) => $"pipelinekit-{purpose}-{Hash(seed)[..32]}";

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
