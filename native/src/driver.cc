// The N-API side of the live driver: loads the eBPF program (a libbpf skeleton compiled in),
// attaches a handler to the exit tracepoint of each syscall asked for, and polls the ring buffer on
// its own thread. Events are copied into batch buffers that JavaScript shares (ArrayBuffers
// over this addon's memory): JavaScript is called once per batch, never per event, and hands
// each batch back with release() when it has read it.
#include <napi.h>

#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <sys/resource.h>
#include <unistd.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../bpf/falcoc.h"
#include "falcoc.skel.h"
#include "cpu_merge.h"

namespace {

constexpr int kBatches = 4;

struct Batch {
  std::vector<uint8_t> data;
  size_t used = 0;
  uint32_t events = 0;
  bool busy = false;  // handed to JavaScript, not yet released
};

// libbpf prints through this; only warnings and errors, prefixed, to stderr.
int LibbpfPrint(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  fprintf(stderr, "falcoc driver (libbpf): ");
  return vfprintf(stderr, fmt, args);
}

uint64_t BootTimeNs() {
  timespec real{}, boot{};
  clock_gettime(CLOCK_REALTIME, &real);
  clock_gettime(CLOCK_BOOTTIME, &boot);
  return (uint64_t(real.tv_sec) * 1000000000ull + real.tv_nsec) - (uint64_t(boot.tv_sec) * 1000000000ull + boot.tv_nsec);
}

class Driver : public Napi::ObjectWrap<Driver> {
 public:
  static Napi::Object Init(Napi::Env env, Napi::Object exports) {
    Napi::Function ctor = DefineClass(env, "Driver", {
      InstanceMethod("open", &Driver::Open),
      InstanceMethod("start", &Driver::Start),
      InstanceMethod("release", &Driver::Release),
      InstanceMethod("stats", &Driver::Stats),
      InstanceMethod("stop", &Driver::Stop),
      InstanceMethod("close", &Driver::Close),
    });
    exports.Set("Driver", ctor);
    return exports;
  }

  explicit Driver(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Driver>(info) {}
  ~Driver() override { Shutdown(); }

 private:
  falcoc_bpf* skel_ = nullptr;
  ring_buffer* ring_ = nullptr;
  std::unique_ptr<CpuMerge> merge_;
  int cpus_ = 1;
  std::vector<bpf_link*> links_;
  std::vector<Batch> batches_;
  size_t batchBytes_ = 0;
  int current_ = 0;
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<bool> closing_{false};
  std::mutex mu_;
  std::condition_variable freed_;
  Napi::ThreadSafeFunction tsfn_;
  uint64_t batchesSent_ = 0;
  uint64_t waits_ = 0;

  static Napi::Value Fail(Napi::Env env, const std::string& what) {
    Napi::Error::New(env, what).ThrowAsJavaScriptException();
    return env.Undefined();
  }

  // open({ ringBytes, batchBytes, excludeTgid, attach: [syscall, program][], procExit? }) → the batch
  // ArrayBuffers.
  Napi::Value Open(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (skel_) return Fail(env, "the driver is already open");
    Napi::Object o = info[0].As<Napi::Object>();
    uint32_t ringBytes = o.Get("ringBytes").As<Napi::Number>().Uint32Value();
    batchBytes_ = o.Get("batchBytes").As<Napi::Number>().Uint32Value();
    uint32_t exclude = o.Get("excludeTgid").As<Napi::Number>().Uint32Value();
    Napi::Array attach = o.Get("attach").As<Napi::Array>();
    bool procExit = !o.Has("procExit") || o.Get("procExit").ToBoolean().Value();
    libbpf_set_print(LibbpfPrint);

    skel_ = falcoc_bpf__open();
    if (!skel_) return Fail(env, std::string("cannot open the eBPF program: ") + strerror(errno));
    skel_->rodata->excluded_tgid = exclude;
    skel_->rodata->boot_time_ns = BootTimeNs();
    int cpus = libbpf_num_possible_cpus();
    cpus_ = cpus > 0 ? cpus : 1;
    merge_ = std::make_unique<CpuMerge>(cpus_);
    bpf_map__set_max_entries(skel_->maps.scratch_map, cpus > 0 ? cpus : 1);
    bpf_map__set_max_entries(skel_->maps.tmp_map, cpus > 0 ? cpus : 1);
    bpf_map__set_max_entries(skel_->maps.events, ringBytes);
    if (int err = falcoc_bpf__load(skel_)) {
      Shutdown();
      return Fail(env, std::string("cannot load the eBPF program into the kernel: ") + strerror(-err) +
                           " (falcoc run/capture need root, a kernel with BPF, BTF at /sys/kernel/btf/vmlinux and ring buffers)");
    }
    // Thread exits: state keeping drops the thread (only the benchmark's floor goes without).
    if (!procExit) {
    } else if (bpf_link* link = bpf_program__attach(skel_->progs.proc_exit)) {
      links_.push_back(link);
    } else {
      int err = errno;
      Shutdown();
      return Fail(env, std::string("cannot attach to the tracepoint sched/sched_process_exit: ") + strerror(err));
    }
    // Each syscall asked for gets its family's handler on its exit tracepoint; the others
    // are left alone (they cost nothing).
    for (uint32_t i = 0; i < attach.Length(); i++) {
      Napi::Array pair = attach.Get(i).As<Napi::Array>();
      std::string name = pair.Get(uint32_t(0)).As<Napi::String>().Utf8Value();
      std::string prog = pair.Get(uint32_t(1)).As<Napi::String>().Utf8Value();
      bpf_program* p = bpf_object__find_program_by_name(skel_->obj, prog.c_str());
      if (!p) {
        Shutdown();
        return Fail(env, "the eBPF program has no handler " + prog + " (for " + name + "): rebuild it with npm run build:native");
      }
      std::string tp = "sys_exit_" + name;
      bpf_link* link = bpf_program__attach_tracepoint(p, "syscalls", tp.c_str());
      if (!link) {
        int err = errno;
        Shutdown();
        return Fail(env, "cannot attach to the tracepoint syscalls/" + tp + ": " + strerror(err) +
                             " (is tracefs mounted at /sys/kernel/tracing?)");
      }
      links_.push_back(link);
    }
    ring_ = ring_buffer__new(bpf_map__fd(skel_->maps.events), &Driver::OnRecord, this, nullptr);
    if (!ring_) {
      int err = errno;
      Shutdown();
      return Fail(env, std::string("cannot open the ring buffer: ") + strerror(err));
    }
    batches_.assign(kBatches, Batch{});
    Napi::Array out = Napi::Array::New(env, kBatches);
    for (int i = 0; i < kBatches; i++) {
      batches_[i].data.assign(batchBytes_, 0);
      // External buffers: JavaScript reads the addon's memory; the driver outlives them.
      out.Set(i, Napi::ArrayBuffer::New(env, batches_[i].data.data(), batchBytes_));
    }
    return out;
  }

  // Ring buffer callback (poll thread): a record of one CPU's staged events.
  static int OnRecord(void* ctx, void* data, size_t size) {
    static_cast<Driver*>(ctx)->merge_->Add(static_cast<const uint8_t*>(data), size);
    return 0;
  }

  // Asks every CPU's stage into the ring (flush_stage, run there). Returns the number of CPUs
  // whose handler was mid-event, whose stage waits for the next call.
  int FlushStages() {
    int busy = 0;
    int fd = bpf_program__fd(skel_->progs.flush_stage);
    for (int cpu = 0; cpu < cpus_; cpu++) {
      LIBBPF_OPTS(bpf_test_run_opts, run, .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = uint32_t(cpu));
      if (bpf_prog_test_run_opts(fd, &run) != 0) {
        merge_->SetIdle(cpu);  // offline
      } else if (run.retval == 1) {
        busy++;
      }
    }
    return busy;
  }

  // One poll: the stages into the ring, the ring into the per-CPU queues, then every event
  // that is settled, in time order, into the batches.
  void Take(bool all) {
    ring_buffer__consume(ring_);
    merge_->Drain(all, [this](const uint8_t* data, size_t size) { Append(data, size); });
    Hand();
  }

  int Append(const uint8_t* data, size_t size) {
    if (size > batchBytes_) return 0;  // cannot happen: events are < 32 KiB
    Batch* b = &batches_[current_];
    if (b->used + size > batchBytes_) {
      Hand();
      b = &batches_[current_];
    }
    memcpy(b->data.data() + b->used, data, size);
    b->used += size;
    b->events++;
    return 0;
  }

  // Hands the current batch to JavaScript and moves to a free one (waiting if none is).
  void Hand() {
    Batch& b = batches_[current_];
    if (b.used == 0) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      b.busy = true;
    }
    int index = current_;
    size_t used = b.used;
    uint32_t events = b.events;
    batchesSent_++;
    tsfn_.NonBlockingCall([index, used, events](Napi::Env env, Napi::Function fn) {
      fn.Call({Napi::Number::New(env, index), Napi::Number::New(env, double(used)), Napi::Number::New(env, events)});
    });
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      for (int i = 1; i <= kBatches; i++) {
        int next = (index + i) % kBatches;
        if (!batches_[next].busy) {
          current_ = next;
          batches_[next].used = 0;
          batches_[next].events = 0;
          return;
        }
      }
      if (closing_.load()) return;
      waits_++;
      freed_.wait(lock);
    }
  }

  // Records arrive without wakeups (a wakeup per record is an interrupt to the reader's CPU),
  // so the thread polls on a short timer, flushing the stages first each time: latency stays
  // under ~kPollMs and JavaScript gets few, large batches.
  static constexpr int kPollMs = 10;

  void Poll() {
    while (running_.load()) {
      FlushStages();
      Take(false);
      // Only a timer: the ring is never made ready (records go in without wakeups).
      int n = ring_buffer__poll(ring_, kPollMs);
      if (n < 0 && n != -EINTR) break;
    }
    // Detached: a handler still running finishes its event; then every stage is empty.
    for (int i = 0; i < 100 && FlushStages() > 0; i++) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    Take(true);
    // The end: JavaScript gets index -1 once every batch before it was handed.
    tsfn_.BlockingCall([](Napi::Env env, Napi::Function fn) {
      fn.Call({Napi::Number::New(env, -1), Napi::Number::New(env, 0), Napi::Number::New(env, 0)});
    });
    tsfn_.Release();
  }

  // start(onBatch(index, bytes, events))
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!ring_) return Fail(env, "open the driver first");
    if (running_.load()) return Fail(env, "the driver is already running");
    tsfn_ = Napi::ThreadSafeFunction::New(env, info[0].As<Napi::Function>(), "falcoc-driver", 0, 1);
    running_.store(true);
    thread_ = std::thread([this] { Poll(); });
    return env.Undefined();
  }

  Napi::Value Release(const Napi::CallbackInfo& info) {
    int index = info[0].As<Napi::Number>().Int32Value();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (index >= 0 && index < int(batches_.size())) batches_[index].busy = false;
    }
    freed_.notify_all();
    return info.Env().Undefined();
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    falcoc_counters total{};
    if (skel_) {
      int cpus = libbpf_num_possible_cpus();
    cpus_ = cpus > 0 ? cpus : 1;
    merge_ = std::make_unique<CpuMerge>(cpus_);
      std::vector<falcoc_counters> per(cpus > 0 ? cpus : 1);
      uint32_t zero = 0;
      if (bpf_map_lookup_elem(bpf_map__fd(skel_->maps.counters), &zero, per.data()) == 0) {
        for (auto& c : per) {
          total.events += c.events;
          total.drops += c.drops;
          total.truncated += c.truncated;
        }
      }
    }
    Napi::Object o = Napi::Object::New(env);
    o.Set("events", double(total.events));
    o.Set("drops", double(total.drops));
    o.Set("truncated", double(total.truncated));
    o.Set("batches", double(batchesSent_));
    o.Set("waits", double(waits_));
    return o;
  }

  // stop(): detach and let the poll thread drain the ring; it hands the rest as batches, then
  // index -1. Returns at once: JavaScript must stay free to read and release those batches.
  Napi::Value Stop(const Napi::CallbackInfo& info) {
    for (bpf_link* l : links_) bpf_link__destroy(l);
    links_.clear();
    running_.store(false);
    return info.Env().Undefined();
  }

  // close(): after index -1 (or without start), frees everything.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  void Shutdown() {
    closing_.store(true);
    for (bpf_link* l : links_) bpf_link__destroy(l);
    links_.clear();
    if (running_.exchange(false)) {
      // Not stopped first (the object is being collected): no batch will be read any more.
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& b : batches_) b.busy = false;
    }
    freed_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (ring_) ring_buffer__free(ring_);
    ring_ = nullptr;
    if (skel_) falcoc_bpf__destroy(skel_);
    skel_ = nullptr;
  }
};

}  // namespace

Napi::Object InitAll(Napi::Env env, Napi::Object exports) { return Driver::Init(env, exports); }

NODE_API_MODULE(falcoc_native, InitAll)
