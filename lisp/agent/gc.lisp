;;;; gc.lisp: every garbage collection, recorded from sb-ext:*after-gc-hooks* into a ring
;;;; allocated once, so that the hook itself allocates nothing (it runs in whichever thread
;;;; triggered the collection, right after it).
;;;;
;;;; An entry is five integers: the monotonic time in nanoseconds, the GC's run time in
;;;; internal time units (µs), the oldest generation collected, and the bytes of dynamic space
;;;; in use before and after.  A recording keeps a cursor into the ring and takes the entries
;;;; written since.

(in-package #:sbcl-profiler-agent)

(defconstant +gc-ring-size+ 4096 "Collections kept between two takes; older ones are counted as dropped.")
(defconstant +gc-fields+ 5)

(deftype gc-ring-vector () '(simple-array (signed-byte 64) (*)))

(defstruct (gc-ring (:constructor make-gc-ring ()))
  (entries (make-array (* +gc-ring-size+ +gc-fields+) :element-type '(signed-byte 64)
                                                       :initial-element 0)
   :type gc-ring-vector)
  (count 0 :type sb-ext:word)          ; entries ever written
  (last-run-time 0 :type fixnum)       ; sb-ext:*gc-run-time* after the previous collection
  (last-freed 0 :type fixnum))         ; sb-kernel::*n-bytes-freed-or-purified* then

(sb-ext:defglobal **gc-ring** (make-gc-ring))

(declaim (inline monotonic-nanoseconds))
(defun monotonic-nanoseconds ()
  (multiple-value-bind (seconds nanoseconds) (sb-unix::clock-gettime 1)
    (+ (* seconds 1000000000) nanoseconds)))

(defun record-gc ()
  "The after-GC hook: one entry, no allocation (fixnum arithmetic into a specialised vector)."
  (declare (optimize speed (safety 0)))
  (let* ((ring **gc-ring**)
         (index (mod (sb-ext:atomic-incf (gc-ring-count ring)) +gc-ring-size+))
         (entries (gc-ring-entries ring))
         (base (* index +gc-fields+))
         (run-time (the fixnum sb-ext:*gc-run-time*))
         (freed (the fixnum sb-kernel::*n-bytes-freed-or-purified*))
         (after (the fixnum (sb-kernel:dynamic-usage))))
    (declare (type fixnum index base run-time freed after))
    (setf (aref entries base) (monotonic-nanoseconds)
          (aref entries (+ base 1)) (- run-time (gc-ring-last-run-time ring))
          (aref entries (+ base 2)) (sb-alien:extern-alien "from_space" sb-alien:char)
          (aref entries (+ base 3)) (+ after (max 0 (- freed (gc-ring-last-freed ring))))
          (aref entries (+ base 4)) after
          (gc-ring-last-run-time ring) run-time
          (gc-ring-last-freed ring) freed)
    nil))

(defun install-gc-hook ()
  (let ((ring **gc-ring**))
    (setf (gc-ring-last-run-time ring) sb-ext:*gc-run-time*
          (gc-ring-last-freed ring) sb-kernel::*n-bytes-freed-or-purified*))
  (pushnew 'record-gc sb-ext:*after-gc-hooks*))

(defun uninstall-gc-hook ()
  "An attached image is left as it was found when the profiler detaches."
  (setf sb-ext:*after-gc-hooks* (remove 'record-gc sb-ext:*after-gc-hooks*)))

;;; A recording's view of the ring

(defstruct (gc-cursor (:constructor %make-gc-cursor (next start-ns)))
  (next 0)         ; the count of the first entry not taken yet
  (start-ns 0)     ; when the recording started: event times are relative to it
  (dropped 0))     ; entries overwritten before they were taken

(defun make-gc-cursor (&optional (start-ns (monotonic-nanoseconds)))
  (%make-gc-cursor (gc-ring-count **gc-ring**) start-ns))

(defun take-gc-events (cursor)
  "The collections since the cursor's last take, oldest first, each
[time, pause, generation, bytes_before, bytes_after] (seconds since the start, seconds,
integer, bytes, bytes), and moves the cursor past them."
  (let* ((ring **gc-ring**)
         (end (gc-ring-count ring))
         (start (max (gc-cursor-next cursor) (- end +gc-ring-size+)))
         (entries (gc-ring-entries ring))
         (events '()))
    (incf (gc-cursor-dropped cursor) (- start (gc-cursor-next cursor)))
    (loop for n from start below end
          for base = (* (mod n +gc-ring-size+) +gc-fields+)
          do (push (list (/ (- (aref entries base) (gc-cursor-start-ns cursor)) 1d9)
                         (/ (aref entries (+ base 1)) (float internal-time-units-per-second 1d0))
                         (aref entries (+ base 2))
                         (aref entries (+ base 3))
                         (aref entries (+ base 4)))
                   events))
    (setf (gc-cursor-next cursor) end)
    (nreverse events)))
