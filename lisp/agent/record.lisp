;;;; record.lisp: statistical (sb-sprof) and deterministic (sb-profile) recordings, and the
;;;; workload runner.

(in-package #:sbcl-profiler-agent)

(defstruct recording
  mode               ; :cpu :alloc :time or :deterministic
  interval
  max-samples
  (start 0d0)
  (gc-start 0)
  (bytes-start 0)
  (runs '()))        ; deterministic: one figure list per finished run, newest first

(defvar *recording* nil)

(defun now ()
  "Monotonic seconds; get-internal-real-time only advances in 4 ms steps here."
  (multiple-value-bind (seconds nanoseconds) (sb-unix::clock-gettime 1)
    (+ seconds (/ nanoseconds 1d9))))

(defun ticks->seconds (ticks)
  (/ ticks (float internal-time-units-per-second 1d0)))

;;; Source locations, from the debug info sb-introspect reads

(defvar *source-files* (make-hash-table :test 'equal)
  "file -> (text . vector of the offsets at which its lines start), or :none")

(defun source-file (file)
  (multiple-value-bind (entry found) (gethash file *source-files*)
    (if found
        entry
        (setf (gethash file *source-files*)
              (or (ignore-errors
                   (with-open-file (in file :external-format '(:utf-8 :replacement #\?))
                     (let* ((text (let ((buffer (make-string (file-length in))))
                                    (subseq buffer 0 (read-sequence buffer in))))
                            (starts (make-array 64 :adjustable t :fill-pointer 0)))
                       (vector-push-extend 0 starts)
                       (loop for c across text
                             for offset from 1
                             do (when (char= c #\Newline) (vector-push-extend offset starts)))
                       (cons text starts))))
                  :none)))))

(defun skip-blanks (text offset)
  "The offset of the form at or after OFFSET: recorded positions may point at the blank lines
and comments before it."
  (loop while (< offset (length text))
        do (let ((c (char text offset)))
             (cond ((member c '(#\Space #\Tab #\Newline #\Return #\Page)) (incf offset))
                   ((char= c #\;) (setf offset (or (position #\Newline text :start offset)
                                                    (length text))))
                   (t (return)))))
  offset)

(defun offset-line (file offset)
  "The 1-based line of the form at character OFFSET in FILE; 0 when unknown."
  (let ((entry (source-file file)))
    (if (eq entry :none)
        0
        (let ((starts (cdr entry))
              (offset (skip-blanks (car entry) offset))
              (low 0))
          (let ((high (length starts)))
            (loop while (< (1+ low) high)
                  do (let ((middle (floor (+ low high) 2)))
                       (if (<= (aref starts middle) offset) (setf low middle) (setf high middle)))))
          (1+ low)))))

(defun debug-fun-location (debug-fun)
  "(values file line) of the toplevel form that defined DEBUG-FUN, when its file exists."
  (ignore-errors
   (let* ((code (sb-di::compiled-debug-fun-component debug-fun))
          (source (sb-c::debug-info-source (sb-kernel:%code-debug-info code)))
          (file (sb-c::debug-source-namestring source)))
     (when (and (stringp file) (probe-file file))
       (let* ((file (namestring (probe-file file)))
              (tlf (sb-c::compiled-debug-fun-tlf-number
                    (sb-di::compiled-debug-fun-compiler-debug-fun debug-fun)))
              (positions (sb-c::debug-source-start-positions source)))
         (values file
                 (if (and tlf positions (< tlf (length positions)))
                     (offset-line file (aref positions tlf))
                     0)))))))

(defun function-location (function)
  (ignore-errors
   (unless (typep function 'generic-function)
     (debug-fun-location (sb-di::fun-debug-fun function)))))

;;; Frame names

(defparameter *wrapper-heads*
  (remove nil (mapcar (lambda (name) (find-symbol name "SB-C"))
                      '("XEP" "TL-XEP" "&MORE-PROCESSOR" "&OPTIONAL-PROCESSOR" "VARARGS-ENTRY")))
  "Debug names that wrap a function's own name; the function is what the user knows.")

(defun strip-wrapper (name)
  (loop while (and (consp name) (member (car name) *wrapper-heads*) (consp (cdr name)))
        do (setf name (second name)))
  name)

(defun frame-name (info)
  "The name of one frame of an sb-sprof trace."
  (typecase info
    (null "foreign function <unknown>")
    (string info)
    (symbol (printed-name info))
    (sb-di::compiled-debug-fun (printed-name (strip-wrapper (sb-di:debug-fun-name info))))
    (sb-kernel:code-component
     (let ((info (ignore-errors (sb-kernel:%code-debug-info info))))
       (if (typep info 'sb-c::compiled-debug-info)
           (printed-name (sb-c::compiled-debug-info-name info))
           "<unknown code>")))
    (t (printed-name info))))

(defun wrapper-frame-p (info)
  "True for frames between the runner and the user's first frame."
  (and (typep info 'sb-di::compiled-debug-fun)
       (let ((name (strip-wrapper (sb-di:debug-fun-name info))))
         (or (agent-name-p name) (eval-frame-name-p name)))))

(defun runner-frame-p (info)
  (and (typep info 'sb-di::compiled-debug-fun)
       (eq (strip-wrapper (sb-di:debug-fun-name info)) 'run-user-thunk)))

;;; Statistical recording

(defun raw-traces ()
  "Takes the samples out of sb-sprof's C buffers (which frees them), keeping sb-sprof's own
de-duplication: a list of (thread . ((locs . multiplicity) ...)), locs innermost first as
#(info pc info pc ...).  This is what sb-sprof::convert-raw-data does, minus the expansion of
every sample into its own copy."
  (let ((code-map (sb-sprof::build-serialno-to-code-map))
        (result '()))
    (let ((mask (sb-sprof::sb-toggle-sigprof (sb-sys:int-sap 0) 1)))
      (sb-sprof::call-with-each-profile-buffer
       (lambda (sap thread memory-usage)
         (declare (ignore memory-usage))
         (push (cons thread (sb-sprof::extract-traces sap code-map)) result)))
      (setf (sb-alien:extern-alien "sb_sprof_enabled" sb-alien:int) 0)
      (sb-sprof::sb-toggle-sigprof (sb-sys:int-sap 0) mask))
    result))

(defun agent-thread-p (thread)
  (or (eq thread *reader-thread*)
      (member (sb-thread:thread-name thread) '("SPROF timer" "finalizer" "sbcl-profiler")
              :test #'equal)))

(defstruct harvest
  (frame-ids (make-hash-table :test 'equal))  ; name -> id
  (info-ids (make-hash-table :test 'eq))      ; info -> id
  (frames (make-array 64 :adjustable t :fill-pointer 0))  ; of JSON objects
  (thread-ids (make-hash-table :test 'eq))
  (threads (make-array 4 :adjustable t :fill-pointer 0))
  ;; hash of (thread-id frame-id ...) -> list of (key . count).  Not an EQUAL table: SXHASH
  ;; of a list looks at its first few elements only, so deep stacks sharing their outer frames
  ;; would all collide.
  (stacks (make-hash-table :test 'eql))
  (samples 0)
  (kept 0)
  (decode-seconds 0d0)      ; SBCL's own decoding of its sample buffers
  (aggregate-seconds 0d0))

(defun info-frame-id (harvest info)
  (or (gethash info (harvest-info-ids harvest))
      (setf (gethash info (harvest-info-ids harvest))
            (let ((name (frame-name info))
                  (ids (harvest-frame-ids harvest)))
              (or (gethash name ids)
                  (setf (gethash name ids)
                        (multiple-value-bind (file line)
                            (and (typep info 'sb-di::compiled-debug-fun)
                                 (debug-fun-location info))
                          (vector-push-extend (if file
                                                  (obj "name" name "file" file "line" line)
                                                  (obj "name" name))
                                              (harvest-frames harvest)))))))))

(defun thread-id (harvest thread)
  (or (gethash thread (harvest-thread-ids harvest))
      (setf (gethash thread (harvest-thread-ids harvest))
            (vector-push-extend (or (sb-thread:thread-name thread) "thread")
                                (harvest-threads harvest)))))

(defparameter *thread-start-foreign-functions*
  '("foreign function new_thread_trampoline" "foreign function funcall1"
    "foreign function call_into_lisp" "foreign function call_into_lisp_"))

(defun thread-start-frame-p (info)
  "True for the frames by which SBCL starts a thread, outside the thread's own function."
  (let ((run (load-time-value (find-symbol "RUN" "SB-THREAD"))))
    (typecase info
      (string (member info *thread-start-foreign-functions* :test #'string=))
      (sb-di::compiled-debug-fun
       (let ((name (strip-wrapper (sb-di:debug-fun-name info))))
         (or (eq name run)
             (and (consp name) (eq (car (last name)) run)))))
      (t nil))))

(defun without-thread-start (infos)
  "INFOS from the thread's own function on; the innermost frame alone for a sample taken while
the thread was starting or ending."
  (or (member-if-not #'thread-start-frame-p infos) (last infos)))

(defun user-infos (locs worker-p alloc-p)
  "The frames of one trace that belong to the user, outermost first.  In the worker, stacks
start below the runner (NIL when it is not on the stack: the worker was idle); in other threads,
at the thread's own function.  For allocation samples, the allocator's own frames are charged to the first Lisp frame."
  (let ((infos '())
        (seen-lisp (not alloc-p)))
    (loop for i from 0 below (length locs) by 2
          for info = (aref locs i)
          do (when (or seen-lisp (typep info 'sb-di::compiled-debug-fun))
               (setf seen-lisp t)
               (push info infos)))
    (if worker-p
        (let ((tail (member-if #'runner-frame-p infos)))
          (and tail
               (member-if-not #'wrapper-frame-p (cdr tail))))
        (without-thread-start infos))))

(defun add-trace (harvest thread locs multiplicity alloc-p)
  (incf (harvest-samples harvest) multiplicity)
  (unless (agent-thread-p thread)
    (let ((infos (user-infos locs (eq thread *worker*) alloc-p)))
      (when infos
        (incf (harvest-kept harvest) multiplicity)
        (count-stack harvest
                     (cons (thread-id harvest thread)
                           (mapcar (lambda (info) (info-frame-id harvest info)) infos))
                     multiplicity)))))

(defun stack-hash (key)
  (let ((hash 0))
    (declare (type (unsigned-byte 62) hash))
    (dolist (id key hash)
      (setf hash (ldb (byte 62 0) (+ (* hash 1000003) id 1))))))

(defun count-stack (harvest key multiplicity)
  (let* ((table (harvest-stacks harvest))
         (hash (stack-hash key))
         (entry (assoc key (gethash hash table) :test #'equal)))
    (if entry
        (incf (cdr entry) multiplicity)
        (push (cons key multiplicity) (gethash hash table)))))

(defun harvest-statistical (mode)
  "The samples of the last sb-sprof recording, aggregated: a harvest."
  (let* ((harvest (make-harvest))
         (alloc-p (eq mode :alloc))
         (start (now))
         (raw (raw-traces))
         (decoded (now)))
    (loop for (thread . traces) in raw
          do (loop for (locs . multiplicity) in traces
                   do (add-trace harvest thread locs multiplicity alloc-p)))
    (setf (harvest-decode-seconds harvest) (- decoded start)
          (harvest-aggregate-seconds harvest) (- (now) decoded))
    harvest))

(defun harvest-object (harvest)
  (obj "frames" (harvest-frames harvest)
       "threads" (harvest-threads harvest)
       "stacks" (loop for bucket being the hash-values of (harvest-stacks harvest)
                      nconc (loop for (key . count) in bucket
                                  collect (list (car key) count (cdr key))))
       "samples" (harvest-samples harvest)
       "kept_samples" (harvest-kept harvest)
       "decode_seconds" (harvest-decode-seconds harvest)
       "aggregate_seconds" (harvest-aggregate-seconds harvest)))

;;; Deterministic recording

(defparameter *unprofilable-packages* '("SBCL-PROFILER-AGENT" "SB-PROFILE" "SB-SPROF")
  "Instrumenting these would profile the profiler.")

(defun resolve-profile-name (name)
  "A package name (string) or a function name for sb-profile, or NIL."
  (let ((package (or (find-package name) (find-package (string-upcase name)))))
    (if package
        (let ((package-name (package-name package)))
          (when (member package-name *unprofilable-packages* :test #'string=)
            (request-fail "invalid" "cannot profile the package ~A" package-name))
          package-name)
        (let ((function-name (ignore-errors
                              (let ((*package* (find-package "CL-USER"))
                                    (*read-eval* nil))
                                (read-from-string name)))))
          (and function-name
               (sb-int:valid-function-name-p function-name)
               (fboundp function-name)
               (not (and (symbolp function-name) (macro-function function-name)))
               function-name)))))

(defun instrument (names)
  "Instruments every named function or package; returns the warnings it gave."
  (let ((specs '())
        (warnings '()))
    (dolist (name names)
      (unless (stringp name) (request-fail "invalid" "profile names must be strings"))
      (push (or (resolve-profile-name name)
                (request-fail "invalid" "no function or package named ~A" name))
            specs))
    (let ((*debug-io* (make-broadcast-stream)))
      (sb-profile:unprofile)
      (handler-bind ((warning (lambda (w)
                                (push (condition-text w) warnings)
                                (muffle-warning w))))
        (sb-profile::mapc-on-named-funs #'sb-profile::profile-1-fun (nreverse specs))))
    (when (zerop (hash-table-count sb-profile::*profiled-fun-name->info*))
      (request-fail "invalid" "nothing to profile in ~{~A~^, ~}" names))
    (nreverse warnings)))

(defun deterministic-figures ()
  "name -> (calls seconds bytes gc-seconds) for every instrumented function, as an alist."
  (let ((rows '()))
    (maphash (lambda (name info)
               (multiple-value-bind (calls ticks consing nested gc-ticks)
                   (funcall (sb-profile::profile-info-read-stats-fun info))
                 (declare (ignore nested))
                 (push (list name calls (ticks->seconds ticks) consing (ticks->seconds gc-ticks))
                       rows)))
             sb-profile::*profiled-fun-name->info*)
    rows))

(defun sum-figures (runs)
  (let ((table (make-hash-table :test 'equal)))
    (dolist (run runs)
      (dolist (row run)
        (let ((sum (or (gethash (first row) table)
                       (setf (gethash (first row) table) (list (first row) 0 0d0 0 0d0)))))
          (loop for cell on (cdr sum)
                for value in (cdr row)
                do (incf (car cell) value)))))
    (loop for row being the hash-values of table collect row)))

(defun figure-list (row)
  (list (second row) (third row) (fourth row) (fifth row)))

(defun function-objects (runs)
  "The per-function result: totals, and per-run figures when there were several runs."
  (let ((totals (sum-figures runs))
        (ordered-runs (reverse runs)))
    (loop for row in totals
          for name = (first row)
          when (plusp (second row))
            collect (multiple-value-bind (file line)
                        (let ((info (gethash name sb-profile::*profiled-fun-name->info*)))
                          (and info (function-location
                                     (sb-profile::profile-info-encapsulated-fun info))))
                      (apply #'obj "name" (printed-name name)
                             "total" (figure-list row)
                             "runs" (if (cdr runs)
                                        (mapcar (lambda (run)
                                                  (let ((r (assoc name run :test #'equal)))
                                                    (if r (figure-list r) (list 0 0 0 0))))
                                                ordered-runs)
                                        '())
                             (and file (list "file" file "line" line)))))))

(defun finished-runs (recording)
  "The figures of every run, newest first; a run cut short by a stop counts as one."
  (let ((runs (recording-runs recording))
        (current (deterministic-figures)))
    (if (or (null runs) (some (lambda (row) (plusp (second row))) current))
        (cons current runs)
        runs)))

(defun snapshot-run ()
  "Deterministic recordings with several runs: keep this run's figures and start afresh."
  (let ((recording *recording*))
    (when (and recording (eq (recording-mode recording) :deterministic))
      (push (deterministic-figures) (recording-runs recording))
      (sb-profile:reset))))

;;; Requests

(defun parse-mode (text)
  (cond ((equal text "cpu") :cpu)
        ((equal text "alloc") :alloc)
        ((equal text "time") :time)
        ((equal text "deterministic") :deterministic)
        (t (request-fail "invalid" "unknown mode ~S (cpu, alloc, time or deterministic)" text))))

(define-request "start-recording" (message)
  (when *recording*
    (request-fail "busy" "a recording is already running"))
  (let* ((mode (parse-mode (jget message "mode" "cpu")))
         (interval (jget message "interval" 0.01d0))
         (max-samples (jget message "max_samples" 50000))
         (all-threads (not (eq (jget message "all_threads" :true) :false)))
         (warnings '()))
    (unless (and (realp interval) (plusp interval))
      (request-fail "invalid" "the interval must be a positive number of seconds"))
    (unless (and (integerp max-samples) (plusp max-samples))
      (request-fail "invalid" "max_samples must be a positive integer"))
    (if (eq mode :deterministic)
        (setf warnings (instrument (jget message "names" '())))
        (let ((*error-output* (make-broadcast-stream)))
          (sb-sprof:start-profiling :mode mode
                                    :sample-interval (float interval 1d0)
                                    :max-samples max-samples
                                    :threads (if all-threads :all (list *worker*)))))
    (setf *recording* (make-recording :mode mode :interval interval :max-samples max-samples
                                      :start (now)
                                      :gc-start sb-ext:*gc-run-time*
                                      :bytes-start (sb-ext:get-bytes-consed)))
    (obj "warnings" warnings
         "instrumented" (if (eq mode :deterministic)
                            (hash-table-count sb-profile::*profiled-fun-name->info*)
                            0))))

(defun live-sample-count ()
  (max 0 sb-sprof::trace-count))

(define-request "progress" (message)
  (let ((recording *recording*))
    (if recording
        (obj "recording" :true
             "elapsed" (- (now) (recording-start recording))
             "samples" (if (eq (recording-mode recording) :deterministic) -1 (live-sample-count)))
        (obj "recording" :false))))

(define-request "stop-recording" (message)
  (let ((recording (or *recording* (request-fail "invalid" "no recording is running"))))
    (let* ((mode (recording-mode recording))
           (statistical (not (eq mode :deterministic))))
      (when statistical (sb-sprof:stop-profiling))
      (let* ((duration (- (now) (recording-start recording)))
             (gc-seconds (ticks->seconds (- sb-ext:*gc-run-time* (recording-gc-start recording))))
             (bytes (- (sb-ext:get-bytes-consed) (recording-bytes-start recording)))
             (taken (if statistical (live-sample-count) 0))
             (result (if statistical
                         (harvest-object (harvest-statistical mode))
                         (obj "functions" (function-objects (finished-runs recording))))))
        (unless statistical
          (let ((*debug-io* (make-broadcast-stream)))
            (sb-profile:unprofile)))
        (setf *recording* nil)
        (nconc result
               (list (cons "mode" (string-downcase (symbol-name mode)))
                     (cons "interval" (float (recording-interval recording) 1d0))
                     (cons "duration" duration)
                     (cons "gc_seconds" gc-seconds)
                     (cons "bytes_consed" bytes)
                     (cons "truncated" (if (and statistical
                                                (>= taken (recording-max-samples recording)))
                                           :true :false))))
        result))))

;;; Workloads

(defun compile-workload (text package)
  "TEXT compiled once into a function of no arguments, named so stacks can be cut below it."
  (let ((forms (read-forms text package)))
    (unless forms (request-fail "invalid" "the workload is empty"))
    (let ((*package* package)
          (*error-output* (make-broadcast-stream)))
      (compile nil `(sb-int:named-lambda workload () ,@forms)))))

(define-request "run" (message :worker t)
  (let* ((text (or (string-arg message "form") (request-fail "invalid" "run needs a form")))
         (count (jget message "count" 1))
         (per-run (eq (jget message "per_run" :false) :true))
         (function (compile-workload text (find-package-arg message)))
         (seconds '()))
    (unless (and (integerp count) (<= 0 count))
      (request-fail "invalid" "count must be a non-negative integer"))
    (dotimes (i count)
      (let ((start (now)))
        (funcall function)
        (push (- (now) start) seconds)
        (when per-run (snapshot-run))))
    (obj "seconds" (nreverse seconds))))
