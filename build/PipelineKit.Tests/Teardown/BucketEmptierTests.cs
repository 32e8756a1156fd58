namespace PipelineKit.Tests.Teardown;

using PipelineKit.Teardown;

public sealed class BucketEmptierTests
{
    [Fact]
    public async Task EmptyAndDelete_AVersionedBucketOverOneThousandEntries_DeletesEveryVersionAndMarkerInBatchesOfAtMostOneThousand()
    {
        var store = new InMemoryBuckets();
        store.Add("b", objects: 700, versionsEach: 2, deleteMarkers: 650); // 1,400 versions + 650 delete markers

        var deleted = await new BucketEmptier(store).EmptyAndDeleteAsync("b", default);

        Assert.Equal(2050, deleted);
        Assert.Equal([1000, 1000, 50], store.DeleteBatches);
        Assert.False(store.Exists("b"));
        Assert.Equal("DeleteBucket", store.Calls[^1]);
    }

    [Fact]
    public async Task EmptyAndDelete_AnEmptyBucket_DeletesIt_WithoutDeleteObjects()
    {
        var store = new InMemoryBuckets();
        store.Add("b", 0, 0, 0);

        Assert.Equal(0, await new BucketEmptier(store).EmptyAndDeleteAsync("b", default));
        Assert.Equal(["ListObjectVersions", "DeleteBucket"], store.Calls);
    }

    [Fact]
    public async Task EmptyAndDelete_ABucketGoneAlready_DoesNothing()
    {
        var store = new InMemoryBuckets();

        Assert.Null(await new BucketEmptier(store).EmptyAndDeleteAsync("gone", default));
        Assert.Empty(store.Calls);
    }
}
