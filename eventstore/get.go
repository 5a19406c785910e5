package eventstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// msgQuery picks one message: by sequence, the first on a subject from a sequence, or
// the last on a subject.
type msgQuery struct {
	Seq        uint64 `json:"seq,omitempty"`
	NextBySubj string `json:"next_by_subj,omitempty"`
	LastBySubj string `json:"last_by_subj,omitempty"`
}

// getMsg answers q, nil when no message matches. On a single node it is a direct get. On
// a replicated stream it asks the stream leader: a direct get may be answered by a replica
// that lags, and these answers decide read-your-writes and whether a retried append was
// ours.
func (s *Store) getMsg(ctx context.Context, q msgQuery) (m *Msg, err error) {
	err = persist(ctx, s.cfg.Timeout, func() (err error) {
		m, err = s.getMsgOnce(ctx, q)
		return err
	})
	return m, err
}

func (s *Store) getMsgOnce(ctx context.Context, q msgQuery) (*Msg, error) {
	if s.cfg.Replicas == 1 {
		var opts []jetstream.GetMsgOpt
		var (
			m   *jetstream.RawStreamMsg
			err error
		)
		switch {
		case q.LastBySubj != "":
			m, err = s.stream.GetLastMsgForSubject(ctx, q.LastBySubj)
		default:
			if q.NextBySubj != "" {
				opts = append(opts, jetstream.WithGetMsgSubject(q.NextBySubj))
			}
			m, err = s.stream.GetMsg(ctx, q.Seq, opts...)
		}
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, s.wrap(err)
		}
		return &Msg{Seq: m.Sequence, Subject: m.Subject, Header: m.Header, Data: m.Data, Time: m.Time}, nil
	}
	return s.leaderGet(ctx, q)
}

// leaderGet is the JetStream API's message get ($JS.API.STREAM.MSG.GET), which only the
// stream leader answers.
func (s *Store) leaderGet(ctx context.Context, q msgQuery) (*Msg, error) {
	req, _ := json.Marshal(q)
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	resp, err := s.pub.RequestWithContext(ctx, "$JS.API.STREAM.MSG.GET."+s.name, req)
	if err != nil {
		return nil, s.wrap(err)
	}
	var r struct {
		Error   *jetstream.APIError `json:"error"`
		Message *struct {
			Subject  string    `json:"subject"`
			Sequence uint64    `json:"seq"`
			Header   []byte    `json:"hdrs"`
			Data     []byte    `json:"data"`
			Time     time.Time `json:"time"`
		} `json:"message"`
	}
	if err := json.Unmarshal(resp.Data, &r); err != nil {
		return nil, fmt.Errorf("message get: %w", err)
	}
	if r.Error != nil {
		if r.Error.ErrorCode == jetstream.JSErrCodeMessageNotFound {
			return nil, nil
		}
		return nil, s.wrap(r.Error)
	}
	if r.Message == nil {
		return nil, errors.New("message get: empty answer")
	}
	m := &Msg{Seq: r.Message.Sequence, Subject: r.Message.Subject, Data: r.Message.Data, Time: r.Message.Time}
	if len(r.Message.Header) > 0 {
		h, err := nats.DecodeHeadersMsg(r.Message.Header)
		if err != nil {
			return nil, fmt.Errorf("message get: headers: %w", err)
		}
		m.Header = h
	}
	return m, nil
}
