package ui

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// KioskIdleTimeout is how long a kiosk session may stay untouched before
// it logs out by itself.
const KioskIdleTimeout = 2 * time.Minute

// kioskWarning is how long before the logout the countdown turns into a
// warning.
const kioskWarning = 30 * time.Second

// idleWatcher logs a kiosk session out after KioskIdleTimeout without
// input. Fyne has no window-wide input hook, so activity is seen through
// mouse movement over the window and the callbacks of the widgets on the
// screen, which watch wraps.
type idleWatcher struct {
	now      func() time.Time
	timeout  time.Duration
	last     time.Time
	label    *widget.Label
	onExpire func()
	done     chan struct{}
	expired  bool
}

func newIdleWatcher(now func() time.Time, onExpire func()) *idleWatcher {
	w := &idleWatcher{now: now, timeout: KioskIdleTimeout, onExpire: onExpire, done: make(chan struct{})}
	w.label = widget.NewLabel("")
	w.touch()
	return w
}

// touch records activity.
func (w *idleWatcher) touch() {
	w.last = w.now()
}

// remaining returns the time left before the automatic logout.
func (w *idleWatcher) remaining() time.Duration {
	return max(0, w.timeout-w.now().Sub(w.last))
}

// tick updates the countdown and logs out once the time is up. It runs on
// the UI goroutine.
func (w *idleWatcher) tick() {
	if w.expired {
		return
	}
	left := w.remaining()
	if left == 0 {
		w.expired = true
		w.stop()
		w.onExpire()
		return
	}
	secs := int(left.Round(time.Second) / time.Second)
	text := fmt.Sprintf("Automatic logout in %d:%02d", secs/60, secs%60)
	w.label.Importance = widget.MediumImportance
	if left <= kioskWarning {
		text = lang.L("Logging out in {{.Secs}} seconds. Touch the screen to stay.", map[string]any{"Secs": secs})
		w.label.Importance = widget.DangerImportance
	}
	w.label.SetText(text)
}

// start ticks every second until stop.
func (w *idleWatcher) start() {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-t.C:
				fyne.Do(w.tick)
			}
		}
	}()
}

func (w *idleWatcher) stop() {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
}

// watch wraps the input callbacks of every widget under o so that using
// them counts as activity. Call it again for content built later.
func (w *idleWatcher) watch(o fyne.CanvasObject) {
	switch v := o.(type) {
	case *widget.Button:
		v.OnTapped = w.wrap(v.OnTapped)
	case *widget.Entry, *entry:
		e := textField(v)
		e.OnChanged = wrapString(w, e.OnChanged)
	case *widget.Select:
		v.OnChanged = wrapString(w, v.OnChanged)
	case *widget.RadioGroup:
		v.OnChanged = wrapString(w, v.OnChanged)
	case *widget.Check:
		prev := v.OnChanged
		v.OnChanged = func(b bool) {
			w.touch()
			if prev != nil {
				prev(b)
			}
		}
	case *widget.List:
		prev := v.OnSelected
		v.OnSelected = func(id widget.ListItemID) {
			w.touch()
			if prev != nil {
				prev(id)
			}
		}
	}
	for _, child := range children(o) {
		w.watch(child)
	}
}

// children returns the objects inside the containers and widgets that hold
// other widgets on CTVMS screens. Widgets are not asked for a renderer,
// which would build a second set of their parts.
func children(o fyne.CanvasObject) []fyne.CanvasObject {
	switch v := o.(type) {
	case *fyne.Container:
		return v.Objects
	case *widget.Form:
		out := make([]fyne.CanvasObject, 0, len(v.Items))
		for _, item := range v.Items {
			out = append(out, item.Widget)
		}
		return out
	case *widget.Card:
		return []fyne.CanvasObject{v.Content}
	case *container.Scroll:
		return []fyne.CanvasObject{v.Content}
	case *container.Split:
		return []fyne.CanvasObject{v.Leading, v.Trailing}
	case *container.AppTabs:
		out := make([]fyne.CanvasObject, 0, len(v.Items))
		for _, item := range v.Items {
			out = append(out, item.Content)
		}
		return out
	}
	return nil
}

// wrap returns fn preceded by touch; a nil fn stays nil.
func (w *idleWatcher) wrap(fn func()) func() {
	if fn == nil {
		return nil
	}
	return func() {
		w.touch()
		fn()
	}
}

func wrapString(w *idleWatcher, fn func(string)) func(string) {
	return func(s string) {
		w.touch()
		if fn != nil {
			fn(s)
		}
	}
}

// activityLayer sits behind the screen and counts mouse movement over any
// part of it that has no hover handling of its own.
type activityLayer struct {
	widget.BaseWidget
	onActivity func()
}

func newActivityLayer(onActivity func()) *activityLayer {
	l := &activityLayer{onActivity: onActivity}
	l.ExtendBaseWidget(l)
	return l
}

func (l *activityLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack())
}

// MouseIn counts as activity.
func (l *activityLayer) MouseIn(*desktop.MouseEvent) { l.onActivity() }

// MouseMoved counts as activity.
func (l *activityLayer) MouseMoved(*desktop.MouseEvent) { l.onActivity() }

// MouseOut does nothing.
func (l *activityLayer) MouseOut() {}

// Tapped counts as activity.
func (l *activityLayer) Tapped(*fyne.PointEvent) { l.onActivity() }

// kioskTheme enlarges text and controls for touch screens at the counter.
type kioskTheme struct {
	fyne.Theme
}

// KioskTheme returns the theme of the customer kiosk: the default theme,
// which follows the system's light or dark mode, with larger text, padding
// and controls.
func KioskTheme() fyne.Theme {
	return &kioskTheme{Theme: theme.DefaultTheme()}
}

// Size scales the sizes that decide how large a touch target is.
func (t *kioskTheme) Size(name fyne.ThemeSizeName) float32 {
	base := t.Theme.Size(name)
	switch name {
	case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText, theme.SizeNameCaptionText:
		return base * 1.3
	case theme.SizeNamePadding, theme.SizeNameInnerPadding, theme.SizeNameInlineIcon, theme.SizeNameScrollBar:
		return base * 1.5
	}
	return base
}

// Color keeps the default colours.
func (t *kioskTheme) Color(name fyne.ThemeColorName, variant fyne.ThemeVariant) color.Color {
	return t.Theme.Color(name, variant)
}
