using MpegCoder.Tests.Infrastructure;

namespace MpegCoder.Interop.Tests;

/// <summary>One live barcode RTSP server (320x240, 25 fps) shared by the tests of a class.</summary>
public sealed class LiveStreamFixture : IDisposable
{
    public RtspTestServer Server { get; } = RtspTestServer.Start();

    public void Dispose() => Server.Dispose();
}
