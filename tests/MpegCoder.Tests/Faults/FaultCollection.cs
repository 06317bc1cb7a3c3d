using Xunit;

namespace MpegCoder.Tests.Faults;

/// <summary>
/// The fault matrix runs one test at a time, after the parallel collections: each test counts the whole
/// process's open file descriptors before and after its fault, which another test running beside it would
/// change. The servers are started once, on first use, for all of its classes.
/// </summary>
[CollectionDefinition(nameof(FaultCollection), DisableParallelization = true)]
public sealed class FaultCollection : ICollectionFixture<FaultServers>;
