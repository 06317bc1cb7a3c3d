using Xunit;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// Tests that measure the whole process (RSS, thread count) must not share it with other tests running
/// at the same time: xunit runs this collection after the parallel ones, one test at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Runs alone";
}
