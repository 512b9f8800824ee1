package service

import (
	"context"
	"strings"
	"time"

	"github.com/ctvms/ctvms/billing"
	"github.com/ctvms/ctvms/billing/message"
	"github.com/ctvms/ctvms/store"
)

// earliestActivation is the oldest activation date accepted: every period
// is billed from the activation day, so a mistyped year such as 0226 would
// create centuries of periods, and screens show years from 2000 on.
var earliestActivation = billing.NewDate(2000, time.January, 1)

// ConnectInput is a new connection as typed in the connect form.
type ConnectInput struct {
	Service  billing.Service
	PlanID   int64
	DeviceID string
	// ActivatedOn is YYYY-MM-DD; empty means today.
	ActivatedOn string
}

// Connections returns a customer's connections: any customer's for an
// admin, only their own for a customer.
func (s *Service) Connections(ctx context.Context, sess Session, crf int64) ([]store.Connection, error) {
	if err := requireCustomer(sess, crf); err != nil {
		return nil, err
	}
	return s.store.Connections(ctx, crf)
}

// Connect adds a service to a customer. Periods from the activation day are
// created and those that have started are billed at once, so a new
// connection owes its first month and stays inactive until paid. Admin only.
func (s *Service) Connect(ctx context.Context, sess Session, crf int64, in ConnectInput) (int64, error) {
	if err := requireAdmin(sess); err != nil {
		return 0, err
	}
	clk, err := s.jobClock(ctx)
	if err != nil {
		return 0, err
	}
	var v validator
	if _, err := billing.ParseService(string(in.Service)); err != nil {
		v.add("service", message.New("Choose a service: Cable TV or Broadband."))
	}
	if in.PlanID == 0 {
		v.add("plan", message.New("Choose a plan."))
	}
	device := strings.TrimSpace(in.DeviceID)
	v.maxLen("device_id", message.New("Device id"), device, 64)
	v.noControl("device_id", message.New("Device id"), device)
	activated := clk.Today
	if strings.TrimSpace(in.ActivatedOn) != "" {
		text := v.date("activated_on", message.New("Activation date"), in.ActivatedOn, clk.Today)
		if d, err := billing.ParseDate(text); err == nil {
			activated = d
		}
		if activated.Before(earliestActivation) {
			v.add("activated_on", message.New("Activation date {{.Date}} is before {{.Earliest}}; check the year.",
				"Date", activated, "Earliest", earliestActivation))
		}
	}
	if err := v.err(); err != nil {
		return 0, err
	}
	id, err := s.store.Connect(ctx, store.ConnectParams{CRF: crf, Service: in.Service, PlanID: in.PlanID,
		DeviceID: device, ActivatedOn: activated, Clock: clk, Actor: sess.Username})
	if err == nil {
		s.log.Info("connection created", "crf", crf, "connection_id", id, "service", in.Service)
	}
	return id, err
}

// UpdateConnection changes a connection's plan or device. Admin only.
func (s *Service) UpdateConnection(ctx context.Context, sess Session, id, planID int64, deviceID string) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	var v validator
	if planID == 0 {
		v.add("plan", message.New("Choose a plan."))
	}
	device := strings.TrimSpace(deviceID)
	v.maxLen("device_id", message.New("Device id"), device, 64)
	v.noControl("device_id", message.New("Device id"), device)
	if err := v.err(); err != nil {
		return err
	}
	return s.store.UpdateConnection(ctx, id, store.UpdateConnectionParams{PlanID: planID,
		DeviceID: device, Actor: sess.Username, Now: s.clock.Now()})
}

// Disconnect disconnects a service from today. History stays and no new
// period is billed until reconnection. Admin only.
func (s *Service) Disconnect(ctx context.Context, sess Session, connectionID int64) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	clk, err := s.jobClock(ctx)
	if err != nil {
		return err
	}
	return s.store.Disconnect(ctx, connectionID, clk, sess.Username)
}

// Reconnect restarts a suspended or disconnected connection that owes
// nothing, anchored on today and billed for its first month at once.
// Admin only.
func (s *Service) Reconnect(ctx context.Context, sess Session, connectionID int64) error {
	if err := requireAdmin(sess); err != nil {
		return err
	}
	clk, err := s.jobClock(ctx)
	if err != nil {
		return err
	}
	return s.store.Reconnect(ctx, connectionID, clk, sess.Username)
}
