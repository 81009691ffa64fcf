package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"
)

// resultsFormat names the layout of the results file, so that -compare can refuse a file it cannot read.
const resultsFormat = "connect-standalone-bench/1"

// results are the raw figures of one bench run, as written to bench/results/<timestamp>.json.
type results struct {
	Format       string    `json:"format"`
	Time         time.Time `json:"time"`
	Version      string    `json:"version,omitempty"`
	Go           string    `json:"go"`
	CPUs         int       `json:"cpus"`
	Kernel       string    `json:"kernel"`
	Broker       string    `json:"broker"`
	BrokerPeakMB float64   `json:"broker_peak_mb,omitempty"`
	Params       params    `json:"params"`
	// Figures in the order they were first measured.
	Figures []*figure          `json:"figures"`
	Ratios  map[string]float64 `json:"ratios"`
	Budget  []check            `json:"budget"`
	Summary string             `json:"summary"`
}

type params struct {
	N         int64  `json:"n"`
	LineSize  int    `json:"line_size"`
	Runs      int    `json:"runs"`
	JSONRuns  int    `json:"json_runs"`
	Converter string `json:"converter"`
}

// figure is one measured quantity over the runs. Without values it was not available (n/a).
type figure struct {
	Name   string    `json:"name"`
	Unit   string    `json:"unit"`
	Values []float64 `json:"values"`
	Median *float64  `json:"median,omitempty"`
	Min    *float64  `json:"min,omitempty"`
	Max    *float64  `json:"max,omitempty"`
}

// check is one point of issue 5's budget.
type check struct {
	Name string `json:"name"`
	OK   bool   `json:"ok"`
	Text string `json:"text"`
}

func newResults(o options) *results {
	cpus, goVersion, kernel := environment()
	return &results{
		Format: resultsFormat, Time: time.Now().UTC(), Version: o.version, Go: goVersion, CPUs: cpus, Kernel: kernel,
		Params: params{N: o.n, LineSize: o.size, Runs: o.runs, JSONRuns: o.jsonRuns,
			Converter: "StringConverter for keys and values (the json runs: JsonConverter, schemas.enable=true)"},
		Ratios: map[string]float64{},
	}
}

func (r *results) figure(name, unit string) *figure {
	if f := r.lookup(name); f != nil {
		return f
	}
	f := &figure{Name: name, Unit: unit, Values: []float64{}}
	r.Figures = append(r.Figures, f)
	return f
}

// add records one run's value of a figure.
func (r *results) add(name, unit string, v float64) {
	f := r.figure(name, unit)
	f.Values = append(f.Values, v)
	f.summarize()
}

// declare makes a figure known without a value, so that it shows as n/a.
func (r *results) declare(name, unit string) { r.figure(name, unit) }

func (f *figure) summarize() {
	if len(f.Values) == 0 {
		return
	}
	med, lo, hi := median(f.Values), slices.Min(f.Values), slices.Max(f.Values)
	f.Median, f.Min, f.Max = &med, &lo, &hi
}

// median of values (the mean of the middle two for an even count).
func median(values []float64) float64 {
	v := slices.Sorted(slices.Values(values))
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// med returns a figure's median; ok is false when it was not measured.
func (r *results) med(name string) (float64, bool) {
	if f := r.lookup(name); f != nil && f.Median != nil {
		return *f.Median, true
	}
	return 0, false
}

// Issue 5's budget.
const (
	sourceRatioMin = 0.85
	sourceRateMin  = 480_000
	sinkRatioMin   = 0.8
	sinkRateMin    = 1_000_000
	pipelineMin    = 400_000
	readyMaxMs     = 20
	peakMaxMB      = 40
)

// finish computes the ratios to the ceilings and the budget checks, and the summary line; it reports
// whether every budget point was met.
func (r *results) finish() bool {
	ratio := func(name, runner, ceiling string) (float64, bool) {
		a, ok1 := r.med(runner)
		b, ok2 := r.med(ceiling)
		if !ok1 || !ok2 || b == 0 {
			return 0, false
		}
		r.Ratios[name] = a / b
		return a / b, true
	}
	var parts []string
	met, total := 0, 0
	add := func(name string, ok bool, text string) {
		r.Budget = append(r.Budget, check{Name: name, OK: ok, Text: text})
		total++
		if ok {
			met++
			parts = append(parts, text+" ok")
		} else {
			parts = append(parts, text+" MISS")
		}
	}
	throughput := func(name string, ratioMin, rateMin float64) {
		rate, haveRate := r.med(name + ".runner.rate")
		q, haveRatio := ratio(name, name+".runner.rate", name+".ceiling-connect.rate")
		ratioDefault, haveDefault := ratio(name+"-vs-sarama-defaults", name+".runner.rate", name+".ceiling-default.rate")
		if !haveRate {
			return
		}
		text := fmt.Sprintf("%s %s", name, fmtRate(rate))
		if haveRatio {
			text += fmt.Sprintf(" = %.2f× ceiling", q)
		}
		if haveDefault {
			text += fmt.Sprintf(" (%.2f× sarama defaults)", ratioDefault)
		}
		text += fmt.Sprintf(" [≥%.2f×, ≥%s]", ratioMin, fmtRate(rateMin))
		add(name, haveRatio && q >= ratioMin && rate >= rateMin, text)
	}
	throughput("source", sourceRatioMin, sourceRateMin)
	throughput("sink", sinkRatioMin, sinkRateMin)
	if rate, ok := r.med("pipeline.runner.rate"); ok {
		text := fmt.Sprintf("pipeline %s", fmtRate(rate))
		// The budget is absolute; the ratio says how much of it the clients themselves leave on this machine.
		if q, ok := ratio("pipeline", "pipeline.runner.rate", "pipeline.ceiling-connect.rate"); ok {
			text += fmt.Sprintf(" = %.2f× ceiling", q)
		}
		add("pipeline", rate >= pipelineMin, text+fmt.Sprintf(" [≥%s]", fmtRate(pipelineMin)))
	}
	if r.has("startup.ready_ms") {
		if v, ok := r.med("startup.ready_ms"); ok {
			add("ready", v <= readyMaxMs, fmt.Sprintf("ready %.1f ms [≤%d ms]", v, readyMaxMs))
		} else {
			add("ready", false, fmt.Sprintf("ready n/a (REST API never answered GET /) [≤%d ms]", readyMaxMs))
		}
	}
	// The peak is the highest VmHWM of any run moving the n lines: the budget is a ceiling, not an average.
	peak, havePeak := 0.0, false
	for _, name := range []string{"source.runner.peak_mb", "sink.runner.peak_mb", "pipeline.runner.peak_mb"} {
		if f := r.lookup(name); f != nil && f.Max != nil {
			peak, havePeak = max(peak, *f.Max), true
		}
	}
	if havePeak {
		add("peak", peak <= peakMaxMB, fmt.Sprintf("peak %.1f MB [≤%d MB]", peak, peakMaxMB))
	}
	if rate, ok := r.med("source-json.runner.rate"); ok {
		text := fmt.Sprintf("source with JsonConverter %s", fmtRate(rate))
		if q, ok := ratio("source-json", "source-json.runner.rate", "source.ceiling-connect.rate"); ok {
			text += fmt.Sprintf(" = %.2f× ceiling", q)
		}
		parts = append(parts, text+" (no budget)")
	}
	busiest := 0.0
	for _, f := range r.Figures {
		if strings.HasSuffix(f.Name, ".foreign_load") && f.Max != nil {
			busiest = max(busiest, *f.Max)
		}
	}
	if busiest >= quietLoad {
		parts = append(parts, fmt.Sprintf("WARNING: other processes took up to %.2f cores during a run, figures are low", busiest))
	}
	r.Summary = fmt.Sprintf("summary: %s | budget %d/%d met", strings.Join(parts, " | "), met, total)
	return met == total
}

func (r *results) has(name string) bool {
	return r.lookup(name) != nil
}

// rows of the table: a heading, then the figures of each scenario.
var tableRows = []struct{ title, prefix string }{
	{"file source → topic", "source.runner"},
	{"  raw sarama producer, Connect's settings (ceiling)", "source.ceiling-connect"},
	{"  raw sarama producer, sarama's defaults", "source.ceiling-default"},
	{"topic → file sink", "sink.runner"},
	{"  raw sarama consumer group, Connect's settings (ceiling)", "sink.ceiling-connect"},
	{"  raw sarama consumer group, sarama's defaults", "sink.ceiling-default"},
	{"file source → topic → file sink, one process", "pipeline.runner"},
	{"  raw sarama producer + consumer group, one process (ceiling)", "pipeline.ceiling-connect"},
	{"file source → topic, JsonConverter schemas on", "source-json.runner"},
}

// printTable prints every figure: throughput with its ratio to the ceiling, CPU and memory; then start-up.
// The ratios are those finish stored.
func (r *results) printTable(w io.Writer) {
	p := r.Params
	fmt.Fprintf(w, "\nconnect-standalone bench: %d lines × %d B, %d runs alternated (runner, ceilings); %s;\n", p.N, p.LineSize, p.Runs, p.Converter)
	fmt.Fprintf(w, "kfake broker in its own process on %s; %d CPUs, %s, %s\n\n", r.Broker, r.CPUs, r.Go, r.Kernel)
	// Titles are padded by hand: tabwriter aligns every column the same way, and numbers read best
	// right-aligned.
	width := 0
	for _, row := range tableRows {
		width = max(width, utf8.RuneCountInString(row.title))
	}
	pad := func(s string) string { return s + strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s))) }
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tmedian\tmin\tmax\tvs ceiling\tCPU s/1M\tbroker CPU s/1M\tpeak RSS MB\tother load\t\n", pad("records/s"))
	for _, row := range tableRows {
		f := r.lookup(row.prefix + ".rate")
		if f == nil {
			continue
		}
		vs := ""
		if scenario, ok := strings.CutSuffix(row.prefix, ".runner"); ok {
			if q, ok := r.Ratios[scenario]; ok {
				vs = fmt.Sprintf("%.2f×", q)
			}
		}
		other := ""
		if f := r.lookup(row.prefix + ".foreign_load"); f != nil && f.Max != nil {
			other = fmt.Sprintf("%.2f", *f.Max)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", pad(row.title),
			fmtRatePtr(f.Median), fmtRatePtr(f.Min), fmtRatePtr(f.Max), vs,
			r.fmtMed(row.prefix+".cpu", "%.2f"), r.fmtMed(row.prefix+".broker_cpu", "%.2f"), r.fmtRange(row.prefix+".peak_mb"), other)
	}
	tw.Flush()
	fmt.Fprintln(w, "(CPU: user+system seconds of the process per million records; other load: the most CPU, in cores, that")
	fmt.Fprintln(w, " processes other than the bench, the broker and the measured one took during a run of the row)")

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tmedian\tmin\tmax\t\n", pad("start-up and idle (source + sink)"))
	for _, row := range []struct{ title, name, format string }{
		{"process start → REST API answers GET / with 200 (ms)", "startup.ready_ms", "%.1f"},
		{"process start → first record on the topic (ms)", "startup.first_record_ms", "%.1f"},
		{"process start → the 10 lines in the sink's file (ms)", "startup.sink_lines_ms", "%.1f"},
		{"idle, start-up settled: VmRSS (MB)", "idle.rss_mb", "%.1f"},
		{"idle, start-up settled: VmHWM (MB)", "idle.peak_mb", "%.1f"},
	} {
		f := r.lookup(row.name)
		if f == nil {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", pad(row.title), fmtPtr(f.Median, row.format), fmtPtr(f.Min, row.format), fmtPtr(f.Max, row.format))
	}
	tw.Flush()
	if r.BrokerPeakMB > 0 {
		fmt.Fprintf(w, "\nbroker peak RSS over the whole bench: %.0f MB\n", r.BrokerPeakMB)
	}
}

func (r *results) lookup(name string) *figure {
	for _, f := range r.Figures {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func (r *results) fmtMed(name, format string) string {
	if f := r.lookup(name); f != nil {
		return fmtPtr(f.Median, format)
	}
	return ""
}

// fmtRange shows a median with its spread, "35.2 (34.9–36.0)".
func (r *results) fmtRange(name string) string {
	f := r.lookup(name)
	if f == nil || f.Median == nil {
		return ""
	}
	if len(f.Values) == 1 {
		return fmt.Sprintf("%.1f", *f.Median)
	}
	return fmt.Sprintf("%.1f (%.1f–%.1f)", *f.Median, *f.Min, *f.Max)
}

func fmtPtr(v *float64, format string) string {
	if v == nil {
		return "n/a"
	}
	return fmt.Sprintf(format, *v)
}

func fmtRatePtr(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return fmtRate(*v)
}

// fmtRate shows records per second as 512.3k/s or 1.02M/s.
func fmtRate(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM/s", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk/s", v/1e3)
	}
	return fmt.Sprintf("%.0f/s", v)
}

// write writes the results to dir/<timestamp>.json and dir/latest.json and returns the first path.
func (r *results) write(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	data = append(data, '\n')
	path := filepath.Join(dir, r.Time.Format("20060102T150405Z")+".json")
	for _, p := range []string{path, filepath.Join(dir, "latest.json")} {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return "", err
		}
	}
	return path, nil
}

// loadResults reads a results file written by an earlier run.
func loadResults(path string) (*results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var old results
	if err := json.Unmarshal(data, &old); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if old.Format != resultsFormat {
		return nil, fmt.Errorf("%s: format %q, want %q", path, old.Format, resultsFormat)
	}
	return &old, nil
}

// printComparison prints, for every figure both runs have, the old and new medians and the change.
func (r *results) printComparison(w io.Writer, path string) error {
	old, err := loadResults(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\ncompared with %s (%s, %s, n=%d × %d B):\n", path, old.Time.Format(time.RFC3339), old.Version, old.Params.N, old.Params.LineSize)
	if old.Params.N != r.Params.N || old.Params.LineSize != r.Params.LineSize {
		fmt.Fprintln(w, "  (different n or line size: the figures are not directly comparable)")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "figure\tunit\tbefore\tnow\tchange\t")
	for _, f := range r.Figures {
		prev := old.lookup(f.Name)
		if prev == nil {
			continue
		}
		change := ""
		if f.Median != nil && prev.Median != nil && *prev.Median != 0 {
			change = fmt.Sprintf("%+.1f%%", 100*(*f.Median-*prev.Median)/math.Abs(*prev.Median))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", f.Name, f.Unit, fmtPtr(prev.Median, "%.4g"), fmtPtr(f.Median, "%.4g"), change)
	}
	return tw.Flush()
}
