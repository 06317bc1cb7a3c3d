namespace MpegCoder.Samples.CameraFleet;

/// <summary>The name this silo reports in frames and statuses: --name, or host:silo-port.</summary>
public sealed record SiloIdentity(string Name);
