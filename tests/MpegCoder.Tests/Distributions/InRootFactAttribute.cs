using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MpegCoder.Tests.Distributions;

/// <summary>
/// A test that runs only inside a Debian root, started there by <see cref="DistributionTests"/>.
/// Outside (no <see cref="InRootEnvironment"/> variables) it is not discovered at all, so the host's
/// run neither runs nor skips it; the host-side test instead asserts that the in-root run executed
/// every one of these tests and that all passed.
/// </summary>
[XunitTestCaseDiscoverer("MpegCoder.Tests.Distributions.InRootFactDiscoverer", "MpegCoder.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class InRootFactAttribute : FactAttribute;

/// <summary>Discovers an <see cref="InRootFactAttribute"/> test as a plain fact inside a root, and as nothing elsewhere.</summary>
public sealed class InRootFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    private readonly FactDiscoverer _fact = new(diagnosticMessageSink);

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        InRootEnvironment.IsInsideRoot ? _fact.Discover(discoveryOptions, testMethod, factAttribute) : [];
}

/// <summary>What the host-side test tells the in-root run, through environment variables.</summary>
internal static class InRootEnvironment
{
    /// <summary>The FFmpeg release the run must load, e.g. "7.1".</summary>
    public const string ReleaseVariable = "MPEGCODER_INROOT_RELEASE";
    /// <summary>A barcode clip inside the root (the host's clip, bind-mounted).</summary>
    public const string ClipVariable = "MPEGCODER_INROOT_CLIP";
    /// <summary>The live barcode stream the host serves (the root shares the host's network).</summary>
    public const string RtspVariable = "MPEGCODER_INROOT_RTSP";
    /// <summary>The clip on the host's sshd: an sftp address with the key's right passphrase as password.</summary>
    public const string SftpVariable = "MPEGCODER_INROOT_SFTP";
    /// <summary>The sftp client key inside the root.</summary>
    public const string SftpKeyVariable = "MPEGCODER_INROOT_SFTP_KEY";

    public static bool IsInsideRoot =>
        new[] { ReleaseVariable, ClipVariable, RtspVariable, SftpVariable, SftpKeyVariable }.All(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));

    public static string Release => Get(ReleaseVariable);
    public static string Clip => Get(ClipVariable);
    public static string Rtsp => Get(RtspVariable);
    public static string Sftp => Get(SftpVariable);
    public static string SftpKey => Get(SftpKeyVariable);

    private static string Get(string name) =>
        Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set: this test runs only inside a Debian root");
}
