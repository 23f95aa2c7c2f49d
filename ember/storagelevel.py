"""pyspark.StorageLevel: how a cached DataFrame would be kept (Ember keeps every cache as
Arrow batches in memory; the level is recorded and shown, as Spark shows it)."""
from __future__ import annotations


class StorageLevel:
    def __init__(self, useDisk: bool, useMemory: bool, useOffHeap: bool, deserialized: bool,
                 replication: int = 1):
        self.useDisk = useDisk
        self.useMemory = useMemory
        self.useOffHeap = useOffHeap
        self.deserialized = deserialized
        self.replication = replication

    def _flags(self):
        return (self.useDisk, self.useMemory, self.useOffHeap, self.deserialized,
                self.replication)

    def __eq__(self, other) -> bool:
        return isinstance(other, StorageLevel) and self._flags() == other._flags()

    def __hash__(self) -> int:
        return hash(self._flags())

    def __repr__(self) -> str:
        return "StorageLevel(%s, %s, %s, %s, %s)" % self._flags()

    def __str__(self) -> str:
        result = ""
        result += "Disk " if self.useDisk else ""
        result += "Memory " if self.useMemory else ""
        result += "OffHeap " if self.useOffHeap else ""
        result += "Deserialized " if self.deserialized else "Serialized "
        result += "%sx Replicated" % self.replication
        return result

    def spark_string(self) -> str:
        """Scala's StorageLevel.toString, as EXPLAIN prints it under InMemoryRelation."""
        names = [n for n, on in (("disk", self.useDisk), ("memory", self.useMemory),
                                 ("offheap", self.useOffHeap),
                                 ("deserialized", self.deserialized)) if on]
        return "StorageLevel(" + "".join(n + ", " for n in names) + \
            f"{self.replication} replicas)"


StorageLevel.NONE = StorageLevel(False, False, False, False)
StorageLevel.DISK_ONLY = StorageLevel(True, False, False, False)
StorageLevel.DISK_ONLY_2 = StorageLevel(True, False, False, False, 2)
StorageLevel.DISK_ONLY_3 = StorageLevel(True, False, False, False, 3)
StorageLevel.MEMORY_ONLY = StorageLevel(False, True, False, False)
StorageLevel.MEMORY_ONLY_2 = StorageLevel(False, True, False, False, 2)
StorageLevel.MEMORY_AND_DISK = StorageLevel(True, True, False, False)
StorageLevel.MEMORY_AND_DISK_2 = StorageLevel(True, True, False, False, 2)
StorageLevel.OFF_HEAP = StorageLevel(True, True, True, False, 1)
StorageLevel.MEMORY_AND_DISK_DESER = StorageLevel(True, True, False, True)

# the names Scala's StorageLevel.fromString accepts (CACHE TABLE ... OPTIONS), with Scala's
# flags (its MEMORY_ONLY is deserialized, unlike Python's constant of that name)
SCALA_LEVELS = {
    "NONE": StorageLevel(False, False, False, False),
    "DISK_ONLY": StorageLevel(True, False, False, False),
    "DISK_ONLY_2": StorageLevel(True, False, False, False, 2),
    "DISK_ONLY_3": StorageLevel(True, False, False, False, 3),
    "MEMORY_ONLY": StorageLevel(False, True, False, True),
    "MEMORY_ONLY_2": StorageLevel(False, True, False, True, 2),
    "MEMORY_ONLY_SER": StorageLevel(False, True, False, False),
    "MEMORY_ONLY_SER_2": StorageLevel(False, True, False, False, 2),
    "MEMORY_AND_DISK": StorageLevel(True, True, False, True),
    "MEMORY_AND_DISK_2": StorageLevel(True, True, False, True, 2),
    "MEMORY_AND_DISK_SER": StorageLevel(True, True, False, False),
    "MEMORY_AND_DISK_SER_2": StorageLevel(True, True, False, False, 2),
    "OFF_HEAP": StorageLevel(True, True, True, False, 1),
}
