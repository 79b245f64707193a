// The kernel side stages events per CPU and sends them in records (struct falcoc_record), so
// records of different CPUs arrive out of time order. CpuMerge keeps a queue per CPU and hands
// events on in time order, and only those no CPU can still precede: an event at time t goes
// once every CPU's horizon (all its events up to then are in) has passed t.
#ifndef FALCOC_CPU_MERGE_H
#define FALCOC_CPU_MERGE_H

#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "../bpf/falcoc.h"

class CpuMerge {
 public:
  explicit CpuMerge(int cpus) : queues_(cpus > 0 ? cpus : 1) {}

  // One ring record: its events join the queue of its CPU, whose horizon moves on.
  void Add(const uint8_t* data, size_t size) {
    falcoc_record rec;
    if (size < sizeof(rec)) return;
    memcpy(&rec, data, sizeof(rec));
    if (rec.cpu >= queues_.size()) return;
    Queue& q = queues_[rec.cpu];
    q.bytes.insert(q.bytes.end(), data + sizeof(rec), data + size);
    if (rec.horizon > q.horizon) q.horizon = rec.horizon;
    q.idle = false;
  }

  // A CPU whose stage cannot be flushed (offline): it holds nothing back once its queue is
  // empty, until a record of its own arrives.
  void SetIdle(unsigned cpu) {
    if (cpu < queues_.size()) queues_[cpu].idle = true;
  }

  // Emits events in time order: those before every CPU's horizon, or all of them (`all`, at
  // the end). emit(data, size) gets whole scap/ppm events.
  template <class Emit>
  void Drain(bool all, Emit emit) {
    uint64_t limit = std::numeric_limits<uint64_t>::max();
    if (!all) {
      for (Queue& q : queues_) {
        if (!(q.idle && q.head == q.bytes.size()) && q.horizon < limit) limit = q.horizon;
      }
    }
    for (;;) {
      Queue* best = nullptr;
      uint64_t bestTs = 0;
      for (Queue& q : queues_) {
        if (q.head == q.bytes.size()) continue;
        uint64_t ts;
        memcpy(&ts, q.bytes.data() + q.head, 8);
        if (!best || ts < bestTs) {
          best = &q;
          bestTs = ts;
        }
      }
      if (!best || bestTs > limit) break;
      uint32_t len;
      memcpy(&len, best->bytes.data() + best->head + 16, 4);
      if (len < FALCOC_HEADER_SIZE || len > best->bytes.size() - best->head) {
        best->head = best->bytes.size();  // cannot happen: the kernel side writes whole events
        continue;
      }
      emit(best->bytes.data() + best->head, size_t(len));
      best->head += len;
    }
    for (Queue& q : queues_) {
      if (q.head == 0) continue;
      q.bytes.erase(q.bytes.begin(), q.bytes.begin() + q.head);
      q.head = 0;
    }
  }

 private:
  struct Queue {
    std::vector<uint8_t> bytes;
    size_t head = 0;
    uint64_t horizon = 0;
    bool idle = false;
  };
  std::vector<Queue> queues_;
};

#endif
