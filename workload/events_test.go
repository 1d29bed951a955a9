package workload

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const eventsTestdata = "../testdata/events"

func eventsFixture(name string) string { return filepath.Join(eventsTestdata, name) }

// goodStream is the content of good.csv and good.npz, written out by hand from
// the table GOOD in testdata/events/gen.py (4 channels).
func goodStream() *Stream {
	return build(nil, "good", 4, [][]Step{
		{
			{T: 125_000_000, Chan: []int32{2}, Value: []float64{1}},
			{T: 500_000_000, Chan: []int32{1}, Value: []float64{0}}, // an explicit zero is an event
			{T: 1_500_000_000, Chan: []int32{0, 2, 3}, Value: []float64{1, -1, 0.75}},
		},
		{
			{T: 250_000_000, Chan: []int32{0, 3}, Value: []float64{-0.5, 2}}, // "0.25" and "2.5e-1"
			{T: 1_000_000_000, Chan: []int32{1}, Value: []float64{1}},
		},
		{
			{T: 0, Chan: []int32{3}, Value: []float64{1}},
			// 2⁻¹⁰ s = 976562.5 ns exactly: the half rounds away from zero.
			{T: 976_563, Chan: []int32{0}, Value: []float64{4}},
			{T: 3_000_000_000, Chan: []int32{2}, Value: []float64{0.5}},
		},
	})
}

func TestToTicks(t *testing.T) {
	for _, tc := range []struct {
		sec  float64
		want Tick
		err  string
	}{
		{0, 0, ""},
		{math.Copysign(0, -1), 0, ""},
		{1e-9, 1, ""},
		{0.4e-9, 0, ""},
		{0x1p-10, 976563, ""},         // 976562.5 ns exactly, rounds away from zero
		{0x1p-11, 488281, ""},         // 488281.25 ns
		{1.5, 1_500_000_000, ""},      //
		{9.2e9, 9.2e18, ""},           // 292 years fit
		{9.3e9, 0, "too late"},        // beyond 2⁶³ ns
		{-1e-12, 0, "negative"},       // negative even if it would round to 0
		{math.NaN(), 0, "finite"},     //
		{math.Inf(1), 0, "finite"},    //
		{math.Inf(-1), 0, "finite"},   //
		{0x1p63 / 1e9, 0, "too late"}, // 2⁶³ ns itself
	} {
		got, err := ToTicks(tc.sec)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ToTicks(%v) = %d, %v, want %d", tc.sec, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ToTicks(%v) error %v, want %q", tc.sec, err, tc.err)
		}
	}
	// Seconds and ToTicks round-trip below 2⁵¹ ticks (see WriteCSV).
	for _, tk := range []Tick{0, 1, 999_999_999, 123_456_789_012_345, 1<<51 - 1} {
		if got, err := ToTicks(Seconds(tk)); err != nil || got != tk {
			t.Errorf("ToTicks(Seconds(%d)) = %d, %v", tk, got, err)
		}
	}
}

func TestDecodeGood(t *testing.T) {
	want := goodStream()
	for _, name := range []string{"good.csv", "good_crlf.csv", "good.npz", "good_deflate.npz"} {
		t.Run(name, func(t *testing.T) {
			path := eventsFixture(name)
			s, err := LoadEvents(path, 4)
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != path {
				t.Errorf("Name %q, want %q", s.Name, path)
			}
			if diff := diffStreams(want, s); diff != "" {
				t.Errorf("stream (-want +got):\n%s", diff)
			}
			if err := s.Validate(); err != nil {
				t.Error(err)
			}
			if got := s.Events(); got != 11 {
				t.Errorf("Events() = %d, want the 11 rows", got)
			}
			if got := s.Steps(); got != 8 {
				t.Errorf("Steps() = %d, want 8", got)
			}
			// Spans: 1.5 − 0.125 s, 1 − 0.25 s, 3 − 0 s.
			for n, span := range []Tick{1_375_000_000, 750_000_000, 3_000_000_000} {
				if got := s.Span(n); got != span {
					t.Errorf("Span(%d) = %d, want %d", n, got, span)
				}
			}
		})
	}
}

// TestLoadEventsSniff checks that files without a known extension are told
// apart by their content.
func TestLoadEventsSniff(t *testing.T) {
	dir := t.TempDir()
	for src, dst := range map[string]string{"good.npz": "events.bin", "good.csv": "events.txt"} {
		data, err := os.ReadFile(eventsFixture(src))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, dst)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := LoadEvents(path, 4)
		if err != nil {
			t.Fatalf("%s as %s: %v", src, dst, err)
		}
		if diff := diffStreams(goodStream(), s); diff != "" {
			t.Errorf("%s as %s (-want +got):\n%s", src, dst, diff)
		}
	}
}

// checkEventError checks that err is one line, an *Error whose message starts
// with "events <name>: " and contains want.
func checkEventError(t *testing.T, err error, name, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "events "+name+": ") || !strings.Contains(msg, want) {
		t.Errorf("error %q, want it to start with %q and contain %q", msg, "events "+name+": ", want)
	}
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("error %q is not one line", msg)
	}
	if _, ok := errors.AsType[*Error](err); !ok {
		t.Errorf("error %T, want *Error", err)
	}
}

func TestDecodeEventErrors(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"bad_empty.csv", "empty file"},
		{"bad_header_only.csv", "no events after the header"},
		{"bad_header.csv", `line 1: header "seq,t,ch,v", want sequence,t,channel,value`},
		{"bad_no_header.csv", `line 1: header "0,0.5,1,1"`},
		{"bad_header_bom.csv", `line 1: header "\ufeffsequence,t,channel,value"`},
		{"bad_columns.csv", "line 3: 3 columns, want 4"},
		{"bad_columns_extra.csv", "line 2: 5 columns, want 4"},
		{"bad_blank_line.csv", "line 3: 0 columns, want 4"},
		{"bad_unsorted.csv", "line 4: sequence 0 time 0.25 s comes before 0.5 s at line 2 (unsorted times"},
		{"bad_negative_time.csv", "line 3: time -0.5 s is negative"},
		{"bad_nan_time.csv", "line 2: time NaN, want a finite number of seconds"},
		{"bad_inf_time.csv", "line 2: time +Inf, want a finite"},
		{"bad_late_time.csv", "line 2: time 1e+10 s is too late"},
		{"bad_text_time.csv", `line 2: time "half" is not a decimal number`},
		{"bad_hex_time.csv", `line 2: time "0x1p-1" is not a decimal number`},
		{"bad_nan_value.csv", "line 3: value NaN, want a finite number"},
		{"bad_inf_value.csv", "line 2: value -Inf, want a finite number"},
		{"bad_big_value.csv", "line 2: value +Inf, want a finite number"},
		{"bad_channel_high.csv", "line 3: channel 4 is out of range: the model's input size is 4 (channels 0..3)"},
		{"bad_channel_negative.csv", "line 2: channel -1 is out of range: the model's input size is 4"},
		{"bad_channel_float.csv", `line 2: channel "2.0" is not an integer`},
		{"bad_sequence_negative.csv", "line 2: sequence -1 is negative"},
		{"bad_sequence_float.csv", `line 2: sequence "1.5" is not an integer`},
		{"bad_sequence_huge.csv", "line 2: sequence 99999999999 is beyond the 1048576 sequences allowed"},
		{"bad_sequence_range.csv", `line 2: sequence "99999999999999999999" is out of range`},
		{"bad_duplicate.csv", "line 5: sequence 0 channel 1 at 0.5 s (tick 500000000) already has an event at line 2 (duplicate event)"},
		{"bad_gap.csv", "sequence 1 has no events, want every sequence 0..2"},
		{"bad_sequence_beyond.csv", "line 3: sequence 5, but there are only 2 events: some sequence in 0..4 has none"},
		{"bad_one_based.csv", "sequence 0 has no events"},
		{"bad_spaces.csv", `line 2: time " 0.5" is not a decimal number`},

		{"bad_empty.npz", "empty file"},
		{"bad_not_zip.npz", "not an .npz (zip) archive"},
		{"bad_missing_value.npz", `missing array "value"`},
		{"bad_extra_member.npz", `member "labels.npy" is not one of sequence.npy`},
		{"bad_twice.npz", `zip archive holds member "t.npy" twice`},
		{"bad_unequal.npz", `array "channel" has 10 elements and "sequence" 11, want equal lengths`},
		{"bad_t_int.npz", `array "t" has dtype int64, want float16, float32 or float64`},
		{"bad_sequence_float.npz", `array "sequence" has dtype float64, want an integer dtype`},
		{"bad_channel_bool.npz", `array "channel" has dtype bool, want an integer dtype`},
		{"bad_value_int.npz", `array "value" has dtype int64, want float`},
		{"bad_rank2.npz", `array "value" has shape [11 1], want 1-D`},
		{"bad_not_npy.npz", `array "t": not a .npy file`},
		{"bad_arrays_empty.npz", "no events (the arrays are empty)"},
		{"bad_unsorted.npz", "index 2: sequence 0 time 0.25 s comes before 0.75 s at index 1 (unsorted times"},
		{"bad_channel_high.npz", "index 1: channel 7 is out of range: the model's input size is 4 (channels 0..3)"},
		{"bad_nan_time.npz", "index 1: time NaN, want a finite number of seconds"},
		{"bad_inf_value.npz", "index 1: value +Inf, want a finite number"},
		{"bad_negative_sequence.npz", "index 1: sequence -3 is negative"},
		{"bad_duplicate.npz", "index 2: sequence 0 channel 1 at 0.5 s (tick 500000000) already has an event at index 0 (duplicate event)"},
		{"bad_gap.npz", "sequence 1 has no events, want every sequence 0..3"},
		{"bad_inflates.npz", `array "value": member declares 80 bytes of data, shape [11] of float64 needs 88`},
		{"bad_stored_long.npz", `array "value": member "value.npy" is stored and declares 208 bytes but holds 216`},
		{"bad_short.npz", `array "value": member declares 96 bytes of data, shape [11] of float64 needs 88`},
		{"bad_declared_huge.npz", `array "value": member "value.npy" declares 4294967280 bytes, more than the 135266316 it may hold`},
		{"bad_crc.npz", `array "t": member "t.npy" fails its CRC-32 check`},
		{"too_many.npz", `array "channel" holds 16777217 elements, more than the 16777216 events allowed (--max-events)`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := eventsFixture(tc.file)
			s, err := LoadEvents(path, 4)
			if s != nil {
				t.Error("non-nil stream with an error")
			}
			checkEventError(t, err, path, tc.want)
		})
	}
}

func TestDecodeEventBounds(t *testing.T) {
	t.Run("file size", func(t *testing.T) {
		defer func(old int64) { MaxEventsFileBytes = old }(MaxEventsFileBytes)
		MaxEventsFileBytes = 100
		path := eventsFixture("good.csv") // 171 bytes
		_, err := LoadEvents(path, 4)
		checkEventError(t, err, path, "file is 171 bytes, more than the 100 allowed (--max-events-bytes)")
		data, _ := os.ReadFile(path)
		_, err = DecodeEventsCSV("mem.csv", data, 4)
		checkEventError(t, err, "mem.csv", "file is 171 bytes, more than the 100 allowed (--max-events-bytes)")
	})
	t.Run("missing file", func(t *testing.T) {
		path := eventsFixture("no_such_file.csv")
		_, err := LoadEvents(path, 4)
		checkEventError(t, err, path, "cannot open: no such file")
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("error %v does not wrap os.ErrNotExist", err)
		}
	})
	t.Run("lines", func(t *testing.T) {
		// The count is checked before anything per line is allocated.
		defer func(old int) { MaxEvents = old }(MaxEvents)
		MaxEvents = 10
		data := append([]byte(csvHeader+"\n"), bytes.Repeat([]byte("\n"), 11)...)
		_, err := DecodeEventsCSV("many.csv", data, 4)
		checkEventError(t, err, "many.csv", "12 lines, more than the 10 events allowed (--max-events)")
		// From a stream, the count is known only as the lines arrive.
		_, err = readEventsCSV("pipe.csv", bytes.NewReader(append([]byte(csvHeader+"\n"), bytes.Repeat([]byte("0,0,0,1\n"), 11)...)), 4, -1)
		checkEventError(t, err, "pipe.csv", "line 12: more than the 10 events allowed (--max-events)")
		npz, _ := os.ReadFile(eventsFixture("good.npz")) // 11 events
		_, err = DecodeEventsNPZ("many.npz", npz, 4)
		checkEventError(t, err, "many.npz", `array "sequence" holds 11 elements, more than the 10 events allowed (--max-events)`)
	})
	t.Run("long line", func(t *testing.T) {
		data := []byte(csvHeader + "\n0,0." + strings.Repeat("0", maxLine) + "1,0,1\n")
		_, err := DecodeEventsCSV("long.csv", data, 4)
		checkEventError(t, err, "long.csv", "line 2 is longer than 65536 bytes")
	})
	for _, ch := range []int{0, -1, MaxChannels + 1} {
		data, _ := os.ReadFile(eventsFixture("good.csv"))
		_, err := DecodeEventsCSV("c.csv", data, ch)
		checkEventError(t, err, "c.csv", "want 1..1048576 channels")
		data, _ = os.ReadFile(eventsFixture("good.npz"))
		_, err = DecodeEventsNPZ("c.npz", data, ch)
		checkEventError(t, err, "c.npz", "want 1..1048576 channels")
		_, err = LoadEvents(eventsFixture("good.npz"), ch)
		checkEventError(t, err, eventsFixture("good.npz"), "want 1..1048576 channels")
	}
	// good.csv uses channels up to 3.
	data, _ := os.ReadFile(eventsFixture("good.csv"))
	_, err := DecodeEventsCSV("c.csv", data, 3)
	checkEventError(t, err, "c.csv", "line 5: channel 3 is out of range: the model's input size is 3 (channels 0..2)")
}

func TestWriteCSVRoundTrip(t *testing.T) {
	want := goodStream()
	var buf bytes.Buffer
	if err := want.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := DecodeEventsCSV("rt.csv", buf.Bytes(), 4)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.Bytes())
	}
	if diff := diffStreams(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(buf.String(), "sequence,t,channel,value\n0,0.125,2,1\n0,0.5,1,0\n") {
		t.Errorf("CSV starts %q", buf.String()[:60])
	}
	empty := build(t, "e", 4, [][]Step{seqs(want)[0], {}})
	if err := empty.WriteCSV(&buf); err == nil || !strings.Contains(err.Error(), "sequence 1 has no events") {
		t.Errorf("WriteCSV of an empty sequence: %v", err)
	}
	set := NewSet("dense", 1, 1, 1, []float64{1})
	if err := FromSet(set).WriteCSV(&buf); err == nil || !strings.Contains(err.Error(), "clocked stream") {
		t.Errorf("WriteCSV of a clocked stream: %v", err)
	}
}

func TestFromSet(t *testing.T) {
	// N = 2 sequences of T = 3 steps of I = 2 values: x = 10n + 2k + i, with
	// zeros where that is 0 (sequence 0, step 0, channel 0).
	x := make([]float64, 12)
	for k := range x {
		n, step, i := k/6, k/2%3, k%2
		x[k] = float64(10*n + 2*step + i)
	}
	set := NewSet("small", 2, 3, 2, x)
	set.Labels, set.LabelsName = []int{4, 7}, "lab"
	s := FromSet(set)
	if s.Name != "small" || s.N != 2 || s.I != 2 || s.LabelsName != "lab" || !cmp.Equal(s.Labels, []int{4, 7}) || !s.Clocked() {
		t.Fatalf("stream %q N %d I %d labels %v from %q", s.Name, s.N, s.I, s.Labels, s.LabelsName)
	}
	if got := s.Steps(); got != 6 {
		t.Errorf("%d steps, want N·T = 6", got)
	}
	if got := s.Events(); got != 12 {
		t.Errorf("%d events, want N·T·I = 12 (zeros included)", got)
	}
	in := make([]float64, 2)
	for n := range 2 {
		if s.SeqLen(n) != 3 {
			t.Errorf("sequence %d: %d steps, want 3", n, s.SeqLen(n))
		}
		for k := range s.SeqLen(n) {
			// Clocked: time is the step index, Δ is 1, whatever the period.
			want := Step{T: Tick(k), Chan: []int32{0, 1}, Value: []float64{float64(10*n + 2*k), float64(10*n + 2*k + 1)}}
			if diff := cmp.Diff(want, s.Step(n, k)); diff != "" {
				t.Errorf("sequence %d step %d (-want +got):\n%s", n, k, diff)
			}
			if d := s.Delta(n, k, 1); d != 1 {
				t.Errorf("Delta(%d, %d) = %v, want 1", n, k, d)
			}
			active := s.Input(n, k, in)
			if !cmp.Equal(in, want.Value) || active != 2-btoi(n == 0 && k == 0) {
				t.Errorf("Input(%d, %d) = %v, %d active", n, k, in, active)
			}
		}
		if got := s.Span(n); got != 2 {
			t.Errorf("Span(%d) = %d, want 2 steps", n, got)
		}
	}
	// Times in seconds: k periods, in float64, so a period of 5 Gs over
	// 2^40 steps (beyond 2^63 ns) is still a number.
	if got := s.Seconds(1<<40, 5e9); got != 5e9*(1<<40) {
		t.Errorf("Seconds(2^40 steps of 5 Gs) = %v", got)
	}
	if err := s.Validate(); err != nil {
		t.Error(err)
	}
	// The stream refers to the set: nothing is copied.
	set.x64[3] = -1
	if s.Step(0, 1).Value[1] != -1 {
		t.Error("FromSet copied the set's values")
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestFromSetART checks that every step of a dense ART stream (float32
// values) is the set's row.
func TestFromSetART(t *testing.T) {
	set, err := ART(ARTConfig{N: 16, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	s := FromSet(set)
	x := make([]float64, s.I)
	for n := range set.N {
		seq := set.Sequence(n, nil)
		for k := range s.SeqLen(n) {
			if a := s.Input(n, k, x); !cmp.Equal(x, seq[k*set.I:(k+1)*set.I]) || a != 1 {
				t.Fatalf("sequence %d step %d differs from the set (%d active)", n, k, a)
			}
		}
	}
}

func TestDense(t *testing.T) {
	st := Step{Chan: []int32{1, 3}, Value: []float64{0, -2}}
	x := []float64{9, 9, 9, 9, 9}
	st.Dense(x)
	if want := []float64{0, 0, 0, -2, 0}; !cmp.Equal(x, want) {
		t.Errorf("Dense = %v, want %v", x, want)
	}
}

func TestStreamLabels(t *testing.T) {
	s := build(t, "good.csv", 4, seqs(goodStream())[:2]) // the label fixtures hold two labels
	if err := s.LoadLabels(fixture("good_labels.npy")); err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(s.Labels, []int{33, 27}) || s.LabelsName != fixture("good_labels.npy") {
		t.Errorf("labels %v from %q", s.Labels, s.LabelsName)
	}
	if err := s.CheckLabels(37); err != nil {
		t.Error(err)
	}
	if err := s.CheckLabels(30); err == nil || !strings.Contains(err.Error(), "label 0 is 33, the model has 30 classes") {
		t.Errorf("CheckLabels(30): %v", err)
	}
	for file, want := range map[string]string{
		"labels_short.npy":    "1 labels, want 2 (one per sequence of inputs good.csv)",
		"labels_negative.npy": "label 1 is -1, want ≥ 0",
		"labels_float.npy":    "dtype float32, want an integer dtype",
	} {
		s := build(t, "good.csv", 4, seqs(goodStream())[:2])
		err := s.LoadLabels(fixture(file))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "labels "+fixture(file)+": ") {
			t.Errorf("%s: %v, want %q", file, err, want)
		}
		if s.Labels != nil {
			t.Errorf("%s: labels set on error", file)
		}
	}
	if err := s.CheckWidth(4); err != nil {
		t.Error(err)
	}
	if err := s.CheckWidth(37); err == nil || !strings.Contains(err.Error(), "4 channels per step, the model takes 37") {
		t.Errorf("CheckWidth(37): %v", err)
	}
}

func TestValidate(t *testing.T) {
	// goodStream's steps, flat: sequence 0 has steps 0–2, 1 has 3–4, 2 has 5–7;
	// step 2 holds events 2–4 (channels 0, 2, 3).
	for name, tc := range map[string]struct {
		edit func(s *Stream)
		want string
	}{
		"N":        {func(s *Stream) { s.N = 4 }, "3 sequences, N says 4"},
		"I":        {func(s *Stream) { s.I = 0 }, "want N, I ≥ 1"},
		"order":    {func(s *Stream) { s.tick[1] = 125_000_000 }, "does not follow"},
		"negative": {func(s *Stream) { s.tick[5] = -1 }, "tick -1 is negative"},
		"channels": {func(s *Stream) { s.ch[3] = 0 }, "want strictly ascending in [0, 4)"},
		"range":    {func(s *Stream) { s.ch[4] = 4 }, "want strictly ascending in [0, 4)"},
		"nan":      {func(s *Stream) { s.val[0] = math.NaN() }, "channel 2 is NaN"},
		"labels":   {func(s *Stream) { s.Labels = []int{1} }, "1 labels, want 3"},
		"label <0": {func(s *Stream) { s.Labels = []int{1, -2, 0} }, "label 1 is -2"},
	} {
		s := goodStream()
		tc.edit(s)
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	s := build(t, "four", 4, append(seqs(goodStream()), []Step{})) // an empty sequence is valid
	if err := s.Validate(); err != nil {
		t.Error(err)
	}
	if s.Span(3) != 0 || s.SeqLen(3) != 0 {
		t.Error("Span of an empty sequence is not 0")
	}
}

// The Builder refuses what would break the invariants, naming the step.
func TestBuilder(t *testing.T) {
	for name, tc := range map[string]struct {
		seq   int
		t     Tick
		chans []int32
		vals  []float64
		want  string
	}{
		"earlier sequence": {0, 5, []int32{0}, []float64{1}, "sequence 0 added after sequence 1"},
		"beyond N":         {3, 5, []int32{0}, []float64{1}, "sequence 3 added after sequence 1"},
		"same time":        {1, 10, []int32{0}, []float64{1}, "sequence 1 step 1: tick 10 does not follow 10"},
		"negative":         {2, -1, []int32{0}, []float64{1}, "tick -1 is negative"},
		"empty step":       {1, 20, nil, nil, "0 channels and 0 values"},
		"unequal":          {1, 20, []int32{0, 1}, []float64{1}, "2 channels and 1 values"},
		"descending":       {1, 20, []int32{1, 0}, []float64{1, 1}, "channels [1 0], want strictly ascending in [0, 4)"},
		"channel 4":        {1, 20, []int32{4}, []float64{1}, "channels [4], want strictly ascending"},
		"inf":              {1, 20, []int32{2}, []float64{math.Inf(1)}, "sequence 1 step 1 channel 2 is +Inf"},
	} {
		b := NewBuilder("b", 3, 4)
		if err := b.Add(1, 10, []int32{0, 3}, []float64{1, 2}); err != nil {
			t.Fatal(err)
		}
		if err := b.Add(tc.seq, tc.t, tc.chans, tc.vals); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	b := NewBuilder("b", 3, 4)
	chans, vals := []int32{1}, []float64{0.5}
	b.Add(1, 7, chans, vals)
	chans[0], vals[0] = 2, 9 // Add copied them
	s := b.Stream()
	if want := [][]Step{{}, {{T: 7, Chan: []int32{1}, Value: []float64{0.5}}}, {}}; !cmp.Equal(seqs(s), want) {
		t.Errorf("built %v, want %v", seqs(s), want)
	}
}

// fuzzSeeds returns the fixtures with the given extension of at most 2 KB
// (too_many.npz, whose mutants would each inflate 16 MiB, and the longer
// generator outputs are left out: small seeds let the fuzzer mutate rather
// than minimise).
func fuzzSeeds(f *testing.F, ext string) [][]byte {
	paths, err := filepath.Glob(eventsFixture("*" + ext))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no %s seeds in %s: %v", ext, eventsTestdata, err)
	}
	var seeds [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) <= 2<<10 {
			seeds = append(seeds, data)
		}
	}
	return seeds
}

// checkFuzzed checks the invariants of a decoded stream or of its error.
func checkFuzzed(t *testing.T, name string, s *Stream, err error, channels int) {
	if err != nil {
		if s != nil {
			t.Fatal("non-nil stream with an error")
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "events "+name+": ") || strings.ContainsAny(msg, "\n\r") {
			t.Fatalf("error %q is not one line naming the input", msg)
		}
		return
	}
	if s.I != channels || s.Name != name || s.Labels != nil {
		t.Fatalf("stream %q of %d channels (want %d), labels %v", s.Name, s.I, channels, s.Labels)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	for n := range s.N {
		if s.SeqLen(n) == 0 {
			t.Fatalf("sequence %d of a file has no steps", n)
		}
	}
	// What was accepted writes back and reads again as the same stream
	// (fuzzed times may exceed the 2⁵¹ ticks of an exact round trip).
	var buf bytes.Buffer
	if err := s.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	late := false
	for n := range s.N {
		late = late || s.Time(n, s.SeqLen(n)-1) >= 1<<51
	}
	back, err := DecodeEventsCSV(name, buf.Bytes(), channels)
	if err != nil && !late {
		t.Fatalf("rewritten stream: %v", err)
	}
	if err == nil && !late {
		if diff := diffStreams(s, back); diff != "" {
			t.Fatalf("rewritten stream differs: %s", diff)
		}
	}
}

// FuzzDecodeEventsCSV decodes arbitrary bytes as an event CSV: every error is
// one line naming the input, and every stream is valid and round-trips.
func FuzzDecodeEventsCSV(f *testing.F) {
	for _, data := range fuzzSeeds(f, ".csv") {
		f.Add(data, uint8(4))
	}
	f.Fuzz(func(t *testing.T, data []byte, channels uint8) {
		s, err := DecodeEventsCSV("fuzz.csv", data, int(channels))
		checkFuzzed(t, "fuzz.csv", s, err, int(channels))
	})
}

// FuzzDecodeEventsNPZ is FuzzDecodeEventsCSV for .npz archives.
func FuzzDecodeEventsNPZ(f *testing.F) {
	for _, data := range fuzzSeeds(f, ".npz") {
		f.Add(data, uint8(4))
	}
	f.Fuzz(func(t *testing.T, data []byte, channels uint8) {
		s, err := DecodeEventsNPZ("fuzz.npz", data, int(channels))
		checkFuzzed(t, "fuzz.npz", s, err, int(channels))
	})
}

// FuzzDecodeEventsNPZArrays fuzzes the four .npy members rather than the
// archive, whose CRC-32 stops most mutations of FuzzDecodeEventsNPZ at the
// zip layer: the members are zipped afresh, stored, before decoding.
func FuzzDecodeEventsNPZArrays(f *testing.F) {
	for _, name := range []string{"good.npz", "good_deflate.npz", "bad_unsorted.npz", "bad_rank2.npz", "bad_t_int.npz"} {
		zr, err := zip.OpenReader(eventsFixture(name))
		if err != nil {
			f.Fatal(err)
		}
		var m [4][]byte
		for _, file := range zr.File {
			k := slices.Index(npzArrays[:], strings.TrimSuffix(file.Name, ".npy"))
			rc, err := file.Open()
			if err != nil {
				f.Fatal(err)
			}
			m[k], err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				f.Fatal(err)
			}
		}
		zr.Close()
		f.Add(m[0], m[1], m[2], m[3], uint8(4))
	}
	f.Fuzz(func(t *testing.T, seq, tm, ch, val []byte, channels uint8) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for k, data := range [][]byte{seq, tm, ch, val} {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: npzArrays[k] + ".npy", Method: zip.Store})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		s, err := DecodeEventsNPZ("fuzz.npz", buf.Bytes(), int(channels))
		checkFuzzed(t, "fuzz.npz", s, err, int(channels))
	})
}
