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
// A run is made of tasks (models of a set, points of a sweep), each going
// through a number of items (sequences), possibly in several passes (one per
// corner of a design's ranged device figures):
// Tasks sets how many tasks there are, Update says which task is running
// and how far it is. When a task finishes several results (a sweep's
// simulation prices many rows), Results counts them, and the line leads
// with them: their rate and the time the run has left. All methods may be
// called from any goroutine, and on a nil *meter, which shows nothing.
type meter struct {
	w     io.Writer
	unit  string // what an item is: "sequences"
	now   func() time.Time
	delay time.Duration // nothing is shown before

	mu           sync.Mutex
	start, drawn time.Time
	taskStart    time.Time // when the current task began
	shown        bool
	stop         chan struct{} // ends the ticker
	tasks, task  int           // number of tasks (0: unknown), current one (1-based)
	pass         int           // of the current task over its items (1-based)
	name         string        // current task
	done, total  int           // items of the current task
	width        int           // of the last line drawn

	results                 string // what a result is ("rows"); "" until Results is called
	resDone, resNew, resAll int    // results done, of them made by this run, in all
}

// newMeter returns a meter on stderr, or nil when nothing is to be shown.
// It redraws at least every half second, so that a phase that reports
// nothing (a calibration run, loading) still shows the time going by.
func (c *cli) newMeter(unit string) *meter {
	if c.quiet || !isTerminal(c.stderr) {
		return nil
	}
	now := time.Now()
	m := &meter{w: c.stderr, unit: unit, now: time.Now, delay: time.Second, start: now, taskStart: now, stop: make(chan struct{})}
	go m.tick(m.stop, 500*time.Millisecond)
	return m
}

// tick redraws the line every interval until stop is closed.
func (m *meter) tick(stop chan struct{}, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			m.mu.Lock()
			if now := m.now(); now.Sub(m.start) >= m.delay && now.Sub(m.drawn) >= every {
				m.draw(now)
			}
			m.mu.Unlock()
		}
	}
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

// Update reports that task name has done of total items. A new name starts
// the next task; a count falling below half the last one starts a new pass
// of the same task (the next corner of a design).
func (m *meter) Update(name string, done, total int) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	switch {
	case m.task == 0 || name != m.name:
		m.task, m.pass = m.task+1, 1
		m.taskStart = now
	case 2*done < m.done:
		m.pass++
		m.taskStart = now
	case done < m.done:
		// Workers report in the order they take the lock: a count a little
		// behind the last one is late, not a new pass.
		return
	}
	m.name, m.done, m.total = name, done, total
	if now.Sub(m.start) < m.delay || (m.shown && now.Sub(m.drawn) < 100*time.Millisecond && done != total) {
		return
	}
	m.draw(now)
}

// Results reports that done of total results (a sweep's rows) are
// finished, found of them by an earlier run: the rate and the time left are
// those of the results this run makes.
func (m *meter) Results(what string, done, found, total int) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.results, m.resDone, m.resNew, m.resAll = what, done, done-found, total
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
	elapsed := now.Sub(m.start)
	if m.results != "" {
		// The results lead, with the run's time left; the task follows
		// without its own, to keep the line short.
		fmt.Fprintf(&b, "%d/%d %s", m.resDone, m.resAll, m.results)
		if m.resAll > 0 {
			fmt.Fprintf(&b, " (%d%%)", 100*m.resDone/m.resAll)
		}
		if m.resNew > 0 && elapsed > 0 {
			rate := float64(m.resNew) / elapsed.Seconds()
			left := time.Duration(float64(m.resAll-m.resDone) / rate * float64(time.Second))
			fmt.Fprintf(&b, ", %.3g %s/s, ~%s left", rate, m.results, left.Round(time.Second))
		}
		b.WriteString("; ")
	}
	if m.tasks > 0 {
		fmt.Fprintf(&b, "%d/%d ", min(max(m.task, 1), m.tasks), m.tasks)
	}
	if m.name != "" {
		b.WriteString(m.name + " ")
	}
	if m.pass > 1 {
		fmt.Fprintf(&b, "pass %d: ", m.pass)
	}
	if m.task == 0 {
		b.WriteString("preparing")
	} else {
		fmt.Fprintf(&b, "%d/%d %s", m.done, m.total, m.unit)
	}
	if m.results == "" {
		if m.total > 0 {
			fmt.Fprintf(&b, " (%d%%)", 100*m.done/m.total)
		}
		fmt.Fprintf(&b, ", %s elapsed", elapsed.Round(time.Second))
		if spent := now.Sub(m.taskStart); m.done > 0 && m.done < m.total && spent > time.Second {
			left := time.Duration(float64(spent) / float64(m.done) * float64(m.total-m.done))
			fmt.Fprintf(&b, ", ~%s left", left.Round(time.Second))
		}
	}
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
	if m.stop != nil {
		close(m.stop) // the ticker exits without the lock it would wait for
		m.stop = nil
	}
	if m.shown {
		fmt.Fprint(m.w, "\r"+strings.Repeat(" ", m.width)+"\r")
		m.shown = false
	}
}
