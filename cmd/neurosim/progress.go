package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// meter shows how far a long run is: one line on stderr, redrawn in place,
// once the run has lasted more than a second, and only when stderr is a
// terminal (pipes and CI logs stay clean) and --quiet is not given.
//
// A run is made of tasks (models of a set, points of a sweep, passes over a
// design's corners), each going through a number of items (sequences):
// Tasks sets how many tasks there are, Update says which task is running
// and how far it is. All methods may be called from any goroutine, and on a
// nil *meter, which shows nothing.
type meter struct {
	w     io.Writer
	unit  string // what an item is: "sequences"
	now   func() time.Time
	delay time.Duration // nothing is shown before

	mu           sync.Mutex
	start, drawn time.Time
	shown        bool
	tasks, task  int    // number of tasks (0: unknown), current one (1-based)
	name         string // current task
	done, total  int    // items of the current task
	width        int    // of the last line drawn
}

// newMeter returns a meter on stderr, or nil when nothing is to be shown.
func (c *cli) newMeter(unit string) *meter {
	if c.quiet || !isTerminal(c.stderr) {
		return nil
	}
	return &meter{w: c.stderr, unit: unit, now: time.Now, delay: time.Second, start: time.Now()}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Tasks sets the number of tasks of the run.
func (m *meter) Tasks(n int) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.tasks = n
	m.mu.Unlock()
}

// Update reports that task name has done of total items. A new name, or a
// count going down (a new pass of the same task), starts the next task.
func (m *meter) Update(name string, done, total int) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.task == 0 || name != m.name || done < m.done {
		m.task++
	}
	m.name, m.done, m.total = name, done, total
	now := m.now()
	if now.Sub(m.start) < m.delay || (m.shown && now.Sub(m.drawn) < 100*time.Millisecond && done != total) {
		return
	}
	m.draw(now)
}

// Sequences adapts the meter to a callback that reports items only.
func (m *meter) Sequences(name string) func(done, total int) {
	if m == nil {
		return nil
	}
	return func(done, total int) { m.Update(name, done, total) }
}

func (m *meter) draw(now time.Time) {
	var b strings.Builder
	b.WriteString("neurosim: ")
	if m.tasks > 0 {
		fmt.Fprintf(&b, "%d/%d ", min(m.task, m.tasks), m.tasks)
	}
	if m.name != "" {
		b.WriteString(m.name + " ")
	}
	fmt.Fprintf(&b, "%d/%d %s", m.done, m.total, m.unit)
	if m.total > 0 {
		fmt.Fprintf(&b, " (%d%%)", 100*m.done/m.total)
	}
	fmt.Fprintf(&b, ", %s elapsed", now.Sub(m.start).Round(time.Second))
	line := b.String()
	pad := ""
	if n := len([]rune(line)); n < m.width {
		pad = strings.Repeat(" ", m.width-n)
	}
	m.width = len([]rune(line))
	fmt.Fprint(m.w, "\r"+line+pad)
	m.shown, m.drawn = true, now
}

// Finish clears the line, if one was drawn.
func (m *meter) Finish() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.shown {
		fmt.Fprint(m.w, "\r"+strings.Repeat(" ", m.width)+"\r")
		m.shown = false
	}
}
