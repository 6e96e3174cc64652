#include "tripsim/base/metrics.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace tripsim {
namespace {

// Latency buckets (seconds) of every histogram: 0.5 ms to 10 s.
constexpr auto kBuckets = HistogramSeries::kBuckets;

// The in-process families; the business figures are added by the dashboard at scrape time.
struct Declaration {
  const char* name;
  const char* type;
  const char* help;
};
constexpr std::array<Declaration, 7> kDeclared = {{
    {"tripsim_http_requests_total", "counter", "HTTP requests answered, by route and status."},
    {"tripsim_http_request_duration_seconds", "histogram",
     "Time from a complete request to its response, by route."},
    {"tripsim_emails_total", "counter", "Email delivery attempts by this instance, by result."},
    {"tripsim_webhook_deliveries_total", "counter",
     "Webhook delivery attempts by this instance, by result."},
    {"tripsim_smtp_send_duration_seconds", "histogram", "Time to hand one email to SMTP."},
    {"tripsim_store_commit_duration_seconds", "histogram",
     "Time of one group commit (its writes, then the commit and its sync), by store."},
    {"tripsim_store_committed_writes_total", "counter",
     "Writes committed by group commits, by store (over the commits' count: the mean batch)."},
}};

void AppendEscaped(std::string& out, const std::string& value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void AppendSample(std::string& out, const std::string& name, const MetricLabels& labels,
                  double value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) out += ',';
      out += labels[i].first;
      out += "=\"";
      AppendEscaped(out, labels[i].second);
      out += '"';
    }
    out += '}';
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, " %.17g\n", value);
  out += buf;
}

std::string FormatBound(double bound) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", bound);
  return buf;
}

}  // namespace

std::string RenderMetrics(const std::vector<MetricFamily>& families) {
  std::string out;
  for (const MetricFamily& f : families) {
    out += "# HELP " + f.name + " " + f.help + "\n";
    out += "# TYPE " + f.name + " " + f.type + "\n";
    for (const MetricSample& s : f.samples) AppendSample(out, f.name + s.suffix, s.labels, s.value);
  }
  return out;
}

Metrics& Metrics::Global() {
  static Metrics* metrics = new Metrics();  // never destroyed: workers may count at exit
  return *metrics;
}

Metrics::Metrics() {
  for (const Declaration& d : kDeclared) families_[d.name] = Family{d.help, d.type, {}, {}};
}

void HistogramSeries::Observe(double seconds) {
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      buckets_[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(seconds, std::memory_order_relaxed);
}

std::array<uint64_t, HistogramSeries::kBuckets.size()> HistogramSeries::buckets() const {
  std::array<uint64_t, kBuckets.size()> out{};
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    out[i] = buckets_[i].load(std::memory_order_relaxed);
  }
  return out;
}

CounterSeries* Metrics::Counter(std::string_view name, const MetricLabels& labels) {
  MutexLock lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return nullptr;
  std::unique_ptr<CounterSeries>& series = it->second.counters[labels];
  if (!series) series = std::make_unique<CounterSeries>();
  return series.get();
}

HistogramSeries* Metrics::Histogram(std::string_view name, const MetricLabels& labels) {
  MutexLock lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return nullptr;
  std::unique_ptr<HistogramSeries>& series = it->second.histograms[labels];
  if (!series) series = std::make_unique<HistogramSeries>();
  return series.get();
}

void Metrics::Add(std::string_view name, const MetricLabels& labels, double by) {
  if (CounterSeries* series = Counter(name, labels)) series->Add(by);
}

void Metrics::Observe(std::string_view name, const MetricLabels& labels, double seconds) {
  if (HistogramSeries* series = Histogram(name, labels)) series->Observe(seconds);
}

std::vector<MetricFamily> Metrics::Snapshot() const {
  MutexLock lock(mu_);
  std::vector<MetricFamily> out;
  for (const auto& [name, f] : families_) {
    MetricFamily family{name, f.help, f.type, {}};
    for (const auto& [labels, series] : f.counters) {
      family.samples.push_back({labels, series->value(), ""});
    }
    for (const auto& entry : f.histograms) {
      const MetricLabels& labels = entry.first;  // not a structured binding: the lambda uses it
      const HistogramSeries& h = *entry.second;
      const auto counts = h.buckets();
      const uint64_t count = h.count();
      auto bucket = [&](std::string le, uint64_t n) {
        MetricLabels l = labels;
        l.emplace_back("le", std::move(le));
        family.samples.push_back({std::move(l), static_cast<double>(n), "_bucket"});
      };
      uint64_t cumulative = 0;
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += counts[i];
        bucket(FormatBound(kBuckets[i]), cumulative);
      }
      // Read apart from the buckets: a concurrent observation may show in one and not yet in
      // the other, so +Inf is never below the last bucket.
      bucket("+Inf", std::max(count, cumulative));
      family.samples.push_back({labels, h.sum(), "_sum"});
      family.samples.push_back(
          {labels, static_cast<double>(std::max(count, cumulative)), "_count"});
    }
    out.push_back(std::move(family));
  }
  return out;
}

}  // namespace tripsim
