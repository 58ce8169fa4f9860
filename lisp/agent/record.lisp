;;;; record.lisp: the recording requests, deterministic (sb-profile) recordings, and the
;;;; workload runner.  Statistical sampling is in sampling.lisp.

(in-package #:sbcl-profiler-agent)

(defstruct recording
  mode               ; :cpu :alloc :time or :deterministic
  interval
  max-samples
  (start 0d0)
  (gc-start 0)
  (bytes-start 0)
  (runs '())         ; deterministic: one figure list per finished run, newest first
  (sampler nil)      ; statistical: the sampler (sampling.lisp)
  (run-summaries '()) ; one object per finished recorded run, newest first
  (end-reason nil))  ; why the recording is partial: "stopped", "workload-error"

(defvar *recording* nil)
(defvar *recording-count* 0 "Recordings started in this image: the id of streamed batches.")

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


;;; Requests

(defun parse-mode (text)
  (cond ((equal text "cpu") :cpu)
        ((equal text "alloc") :alloc)
        ((equal text "time") :time)
        ((equal text "deterministic") :deterministic)
        ((equal text "alloc-exact") :alloc-exact)
        (t (request-fail "invalid" "unknown mode ~S (cpu, alloc, time, deterministic or alloc-exact)" text))))

(define-request "start-recording" (message)
  (when *recording*
    (request-fail "busy" "a recording is already running"))
  (let* ((mode (parse-mode (jget message "mode" "cpu")))
         (interval (jget message "interval" 0.01d0))
         (max-samples (jget message "max_samples" 50000))
         (all-threads (not (eq (jget message "all_threads" :true) :false)))
         (stream (eq (jget message "stream" :false) :true))
         (drain-interval (jget message "drain_interval" 1d0))
         (warnings '())
         (sampler nil))
    (unless (and (realp interval) (plusp interval))
      (request-fail "invalid" "the interval must be a positive number of seconds"))
    (unless (and (integerp max-samples) (plusp max-samples))
      (request-fail "invalid" "max_samples must be a positive integer"))
    (unless (and (realp drain-interval) (<= 0.01 drain-interval 3600))
      (request-fail "invalid" "drain_interval must be between 0.01 and 3600 seconds"))
    (when (eq mode :alloc-exact)
      ;; Before the heap snapshot: sb-aprof's first start allocates its tables.
      (start-alloc-exact))
    (begin-memory-recording message)
    (case mode
      (:deterministic (setf warnings (start-deterministic (jget message "names" '()))))
      (:alloc-exact)
      (t (setf sampler (start-sampler mode :interval interval :max-samples max-samples
                                           :all-threads all-threads :stream stream
                                           :drain-interval drain-interval
                                           :id (incf *recording-count*)))))
    (setf *recording* (make-recording :mode mode :interval interval :max-samples max-samples
                                      :start (now)
                                      :gc-start sb-ext:*gc-run-time*
                                      :bytes-start (sb-ext:get-bytes-consed)
                                      :sampler sampler))
    (obj "warnings" warnings
         "recording" *recording-count*
         "instrumented" (case mode
                          (:deterministic (hash-table-count sb-profile::*profiled-fun-name->info*))
                          (:alloc-exact (instrumented-sentence))
                          (t 0)))))

(defun live-sample-count ()
  (max 0 sb-sprof::trace-count))

(define-request "progress" (message)
  (let ((recording *recording*))
    (if recording
        (obj "recording" :true
             "elapsed" (- (now) (recording-start recording))
             "samples" (if (member (recording-mode recording) '(:deterministic :alloc-exact))
                           -1
                           (live-sample-count)))
        (obj "recording" :false))))

(defun run-summaries (recording)
  "The recorded runs, in order, with the samples of each for statistical recordings."
  (let ((sampler (recording-sampler recording)))
    (loop for (index . summary) in (reverse (recording-run-summaries recording))
          collect (list* :object
                         (if sampler
                             (append summary
                                     (list (cons "samples"
                                                 (gethash index (sampler-run-samples sampler) 0))))
                             summary)))))

(define-request "stop-recording" (message)
  (let* ((recording (or *recording* (request-fail "invalid" "no recording is running")))
         (mode (recording-mode recording))
         (sampler (recording-sampler recording)))
    (when (eq mode :alloc-exact) (stop-alloc-exact))
    (multiple-value-bind (batches truncated) (and sampler (stop-sampler sampler))
      (let* ((duration (- (now) (recording-start recording)))
             (gc-seconds (ticks->seconds (- sb-ext:*gc-run-time* (recording-gc-start recording))))
             (bytes (- (sb-ext:get-bytes-consed) (recording-bytes-start recording)))
             ;; Before the results are built, which the heap snapshot would count as retained.
             (memory (end-memory-recording))
             (result (case mode
                       (:deterministic
                        (deterministic-result recording))
                       (:alloc-exact (alloc-exact-result bytes))
                       (t (list* :object (cons "batches" batches) (sampler-totals sampler))))))
        (when (eq mode :deterministic)
          (stop-deterministic))
        (setf *recording* nil)
        (nconc result
               (list (cons "mode" (string-downcase (symbol-name mode)))
                     (cons "interval" (float (recording-interval recording) 1d0))
                     (cons "duration" duration)
                     (cons "gc_seconds" gc-seconds)
                     (cons "bytes_consed" bytes)
                     (cons "runs" (run-summaries recording))
                     (cons "end_reason" (cond (truncated "sample-limit")
                                              ((recording-end-reason recording))
                                              (t :null)))
                     (cons "truncated" (if truncated :true :false)))
               memory)
        result))))

;;; Workloads

(defvar *compiled-workload* nil "(text package function): a workload compiled ahead, kept once.")

(defun compile-workload (text package &key keep)
  "TEXT compiled into a function of no arguments, named so stacks can be cut below it.  With
KEEP the function is kept for the next run of the same text and package, which takes it: the
app's warm-up runs, or a run of count 0, keep it before a recording starts, so that the
compilation is not recorded; any later run compiles afresh (macros may have changed since)."
  (destructuring-bind (&optional old-text old-package function) *compiled-workload*
    (setf *compiled-workload* nil)
    (if (and function (equal old-text text) (eq old-package package))
        function
        (let ((forms (read-forms text package)))
          (unless forms (request-fail "invalid" "the workload is empty"))
          (let ((function (let ((*package* package)
                                (*error-output* (make-broadcast-stream)))
                            (compile nil `(sb-int:named-lambda workload () ,@forms)))))
            (when keep
              (setf *compiled-workload* (list text package function)))
            function)))))

(defun begin-run (index)
  "Marks the start of recorded run INDEX; the recording, or NIL outside one."
  (let ((recording *recording*))
    (when recording
      (let ((sampler (recording-sampler recording)))
        (when sampler (setf (sampler-run sampler) index))))
    recording))

(defun end-run (recording index summary per-run completed)
  "Closes recorded run INDEX: its SUMMARY, and with PER-RUN its figures (deterministic) or the
batch of its samples (statistical).  A run that did not complete (COMPLETED NIL, or :ERROR)
marks the recording partial."
  (when (and recording (eq recording *recording*))
    (let ((sampler (recording-sampler recording)))
      (push (cons index (cdr summary)) (recording-run-summaries recording))
      (unless (eq completed t)
        (setf (recording-end-reason recording)
              (if (eq completed :error) "workload-error" "stopped")))
      (cond ((null sampler) (when per-run (snapshot-run)))
            ((sampler-stopping sampler))
            (t (when per-run (drain-in-worker sampler index))
               (setf (sampler-run sampler) nil))))))

(define-request "run" (message :worker t)
  (let* ((text (or (string-arg message "form") (request-fail "invalid" "run needs a form")))
         (count (jget message "count" 1))
         (per-run (eq (jget message "per_run" :false) :true))
         (function (compile-workload text (find-package-arg message)
                                     :keep (eq (jget message "keep" :false) :true)))
         (summaries '()))
    (unless (and (integerp count) (<= 0 count))
      (request-fail "invalid" "count must be a non-negative integer"))
    (dotimes (i count)
      (let ((recording (begin-run i))
            (start (now))
            (gc-start sb-ext:*gc-run-time*)
            (bytes-start (sb-ext:get-bytes-consed))
            (completed nil))
        (unwind-protect
             (handler-bind ((error (lambda (condition)
                                     (declare (ignore condition))
                                     (setf completed :error))))
               (funcall function)
               (setf completed t))
          (let ((summary (obj "seconds" (- (now) start)
                              "gc_seconds" (ticks->seconds (- sb-ext:*gc-run-time* gc-start))
                              "bytes_consed" (- (sb-ext:get-bytes-consed) bytes-start))))
            (push summary summaries)
            (end-run recording i summary per-run completed)))))
    (setf summaries (reverse summaries))
    (obj "seconds" (mapcar (lambda (summary) (jget summary "seconds")) summaries)
         "runs" summaries)))
