;;;; agent.lisp: the channel, the worker thread that runs user code, errors, and the requests
;;;; that do not record.
;;;;
;;;; The main thread reads requests (one JSON object per line, each with an integer "id") and
;;;; answers control requests itself, so interrupt, progress and stop work while user code runs.
;;;; Evaluations, loads and workloads run one at a time in the worker thread.

(in-package #:sbcl-profiler-agent)

(defvar *output* nil "The stream replies and events are written to.")
(defvar *output-lock* (sb-thread:make-mutex :name "sbcl-profiler output"))
(defvar *reader-thread* nil)
(defvar *worker* nil)
(defvar *jobs* '() "Queued worker jobs, oldest last.")
(defvar *jobs-lock* (sb-thread:make-mutex :name "sbcl-profiler jobs"))
(defvar *jobs-ready* (sb-thread:make-waitqueue :name "sbcl-profiler jobs"))
(defvar *current-job* nil "The job the worker runs, or NIL; changed under *jobs-lock*.")
(defvar *in-job* nil "True, dynamically, while the worker runs a job: interrupts may throw.")
(defvar *quitting* nil)
(defvar *in-request* nil "True, dynamically, while the reader answers a request.")

(defparameter *backtrace-frames* 25)

(defvar *attached* nil "True while the agent serves a connection in an image it did not start.")
(defvar *started-at* (get-universal-time) "When the agent was loaded: the image's uptime, near enough.")

(defparameter *max-line-length* (* 64 1024 1024)
  "A request line longer than this closes the connection: a peer cannot make the image take
unbounded memory.")


;;; Names

(defun short-printed (object)
  "OBJECT printed for a backtrace line: bounded in length and depth."
  (let ((*package* (find-package "CL-USER"))
        (*print-pretty* nil)
        (*print-readably* nil)
        (*print-length* 6)
        (*print-level* 3)
        (*print-circle* nil))
    (let ((text (handler-case (prin1-to-string object)
                  (error () "#<error printing frame>"))))
      (if (> (length text) 300)
          (concatenate 'string (subseq text 0 300) "…")
          text))))

;;; Sending

(defun send (object)
  (let ((line (json-string object)))
    (sb-thread:with-mutex (*output-lock*)
      (when *output*
        (handler-case
            (progn (write-string line *output*)
                   (terpri *output*)
                   (force-output *output*))
          ;; The app is gone: nothing is left to talk to.  An attached image goes on.
          (stream-error ()
            (if *attached*
                (setf *output* nil *quitting* t)
                (sb-ext:exit :code 0 :abort t))))))))

(defun reply (id result)
  (send (obj "id" id "ok" :true "result" (or result (obj)))))

(defun reply-error (id error)
  (send (obj "id" id "ok" :false "error" error)))

(defun error-object (kind message &rest more)
  (apply #'obj "kind" kind "message" message more))

(defun send-event (kind &rest keys-and-values)
  (send (apply #'obj "event" kind keys-and-values)))

;;; Conditions

(define-condition request-error (error)
  ((kind :initarg :kind :reader request-error-kind)
   (message :initarg :message :reader request-error-message))
  (:report (lambda (c stream) (write-string (request-error-message c) stream))))

(defun condition-text (condition)
  (handler-case (princ-to-string condition)
    (error () (format nil "#<~A, which cannot be printed>" (type-of condition)))))

(defparameter *signal-frames*
  (remove nil (mapcar (lambda (name) (find-symbol (cdr name) (car name)))
                      '(("CL" . "ERROR") ("CL" . "CERROR") ("CL" . "SIGNAL") ("CL" . "WARN")
                        ("CL" . "BREAK") ("CL" . "INVOKE-DEBUGGER") ("SB-KERNEL" . "%SIGNAL")
                        ("SB-KERNEL" . "INTERNAL-ERROR") ("SB-KERNEL" . "%ERROR")
                        ("SB-IMPL" . "%BREAK"))))
  "Frames of the condition machinery, left out of the top of backtraces.")

(defun agent-name-p (name)
  "True for a function of the agent's own, or a lambda or local function inside one."
  (let ((package (load-time-value (find-package "SBCL-PROFILER-AGENT"))))
    (typecase name
      (symbol (eq (symbol-package name) package))
      (cons (and (eq (car (last (butlast name))) :in)
                 (agent-name-p (car (last name)))))
      (t nil))))

(defparameter *eval-frames*
  (list 'eval 'sb-int:simple-eval-in-lexenv 'sb-impl::%simple-eval 'sb-impl::simple-eval-progn-body
        '(lambda ()))
  "Frames of EVAL between the agent and an evaluated form.")

(defun eval-frame-name-p (name)
  (member name *eval-frames* :test #'equal))

(defun frame-name-of (frame)
  (if (consp frame) (car frame) frame))

(defun user-backtrace ()
  "The current stack, innermost first, from the frame that signalled to the agent's runner."
  (let* ((frames (sb-debug:list-backtrace :count (+ *backtrace-frames* 40)))
         (start (or (position-if (lambda (frame) (member (frame-name-of frame) *signal-frames*
                                                         :test #'equal))
                                 frames :from-end t :end (min 30 (length frames)))
                    -1))
         (frames (nthcdr (1+ start) frames))
         (end (or (position-if (lambda (frame) (agent-name-p (frame-name-of frame))) frames)
                  (length frames))))
    ;; Below the user's frames come the evaluator's, then the agent's.
    (loop while (and (plusp end) (eval-frame-name-p (frame-name-of (nth (1- end) frames))))
          do (decf end))
    (mapcar #'short-printed (subseq frames 0 (min end *backtrace-frames*)))))

(defun describe-condition (condition &key (backtrace t))
  (error-object "lisp" (condition-text condition)
                "type" (printed-name (type-of condition))
                "backtrace" (if backtrace (user-backtrace) '())))

;;; Running user code

(declaim (notinline run-user-thunk))
(defun run-user-thunk (thunk)
  "Every piece of user code runs below this frame, which is where profile stacks are cut.
Not a tail call, so the frame stays on the stack."
  (multiple-value-prog1 (funcall (the function thunk))
    (setf *in-job* *in-job*)))

(defstruct job
  id
  function           ; returns (values :ok result) or (values :error object)
  (interrupted nil)) ; set by an interrupt, before or while the job runs

(defun interrupted-error ()
  (error-object "interrupted" "Interrupted"))

(defun abort-if-interrupted ()
  (let ((job *current-job*))
    (when (and *in-job* job (job-interrupted job))
      (throw 'job-abort (values :error (interrupted-error))))))

(defun call-guarded (thunk)
  "Calls THUNK under the runner.  Returns (values :ok list-of-values) or (values :error object)."
  (catch 'job-abort
    (handler-case
        (handler-bind ((error (lambda (condition)
                                ;; A bad request is answered by the request's own handler.
                                (unless (typep condition 'request-error)
                                  (throw 'job-abort
                                    (values :error (describe-condition condition)))))))
          (let ((*in-job* t))
            ;; An interrupt that came before *IN-JOB* was bound could not throw: do it now.
            (abort-if-interrupted)
            (values :ok (multiple-value-list (run-user-thunk thunk)))))
      ;; Stack and heap exhaustion are not errors; handle them once the stack is unwound.
      (storage-condition (condition)
        (values :error (describe-condition condition :backtrace nil))))))

(defun interrupt-worker ()
  "Stops the job the worker is running and cancels the queued ones.  True when there was one."
  (let ((worker *worker*)
        (running nil)
        (any nil))
    (sb-thread:with-mutex (*jobs-lock*)
      (dolist (job *jobs*)
        (setf (job-interrupted job) t any t))
      (when (setf running *current-job*)
        (setf (job-interrupted running) t any t)))
    (when (and running worker (sb-thread:thread-alive-p worker))
      (sb-thread:interrupt-thread worker #'abort-if-interrupted))
    any))

(defun flush-console ()
  (ignore-errors (finish-output *standard-output*))
  (ignore-errors (finish-output *error-output*))
  (ignore-errors (finish-output (sb-ext:symbol-global-value '*standard-output*)))
  (ignore-errors (finish-output (sb-ext:symbol-global-value '*error-output*))))

;;; In an attached image the program's own stdout is not the app's console: what the worker's
;;; jobs print travels as console events.

(defclass console-stream (sb-gray:fundamental-character-output-stream)
  ((name :initarg :name)
   (buffer :initform (make-string-output-stream))
   (column :initform 0)))

(defun make-console-stream (name)
  (make-instance 'console-stream :name name))

(defmethod sb-gray:stream-write-char ((stream console-stream) char)
  (with-slots (buffer column) stream
    (write-char char buffer)
    (setf column (if (char= char #\Newline) 0 (1+ column)))
    (when (char= char #\Newline) (finish-output stream)))
  char)

(defmethod sb-gray:stream-line-column ((stream console-stream))
  (slot-value stream 'column))

(defmethod sb-gray:stream-finish-output ((stream console-stream))
  (with-slots (name buffer) stream
    (let ((text (get-output-stream-string buffer)))
      (when (plusp (length text))
        (send-event "console" "stream" name "text" text))))
  nil)

(defmethod sb-gray:stream-force-output ((stream console-stream))
  (finish-output stream))

(defun run-job (job)
  (multiple-value-bind (status value)
      (if (job-interrupted job)
          (values :error (interrupted-error))
          (funcall (job-function job)))
    (sb-thread:with-mutex (*jobs-lock*)
      (setf *current-job* nil))
    (flush-console)
    (if (eq status :ok)
        (reply (job-id job) value)
        (reply-error (job-id job) value))))

(defun worker-loop ()
  ;; Bound here, not set globally: in an attached image the user's other threads keep their own
  ;; debugger.
  (let ((sb-ext:*invoke-debugger-hook* #'debugger-hook)
        (*standard-output* (if *attached* (make-console-stream "stdout") *standard-output*))
        (*error-output* (if *attached* (make-console-stream "stderr") *error-output*)))
    (worker-loop-1)))

(defun worker-loop-1 ()
  (loop
    (run-job (sb-thread:with-mutex (*jobs-lock*)
               (loop until *jobs*
                     do (sb-thread:condition-wait *jobs-ready* *jobs-lock*))
               ;; Taken from the queue and made current at once: an interrupt sees it either way.
               (setf *current-job* (car (last *jobs*))
                     *jobs* (butlast *jobs*))
               *current-job*))))

(defun enqueue-job (id function)
  "FUNCTION runs in the worker and returns (values :ok result) or (values :error object)."
  (sb-thread:with-mutex (*jobs-lock*)
    (push (make-job :id id :function function) *jobs*)
    (sb-thread:condition-notify *jobs-ready*)))

;;; The debugger is never entered: break and errors in the user's threads become events.

(defun debugger-hook (condition hook)
  (declare (ignore hook))
  (let ((kind (if (typep condition 'error) "thread-error" "break"))
        (description (describe-condition condition)))
    (send-event kind
                "message" (jget description "message")
                "thread" (or (sb-thread:thread-name sb-thread:*current-thread*) "")
                "error" description)
    (cond ((and *in-job* (eq sb-thread:*current-thread* *worker*))
           (throw 'job-abort (values :error description)))
          ((not (eq sb-thread:*current-thread* *reader-thread*))
           (sb-thread:abort-thread))
          (*in-request*
           (throw 'request-abort nil))
          ;; A signal such as SIGINT sent to SBCL lands in the main thread, which is the reader.
          ((find-restart 'continue condition)
           (invoke-restart 'continue))
          (t (sb-ext:exit :code 4 :abort t)))))

(defun install-debugger-hook ()
  (setf sb-ext:*invoke-debugger-hook* #'debugger-hook
        (sb-ext:symbol-global-value 'sb-ext:*invoke-debugger-hook*) #'debugger-hook))

;;; Requests

(defvar *handlers* (make-hash-table :test 'equal)
  "op name -> (function . in-worker-p)")

(defmacro define-request (op (message &key worker) &body body)
  "Defines a request.  BODY returns the result object; it may signal REQUEST-ERROR.  With
:WORKER T it runs in the worker thread, under CALL-GUARDED."
  (let ((name (intern (format nil "REQUEST-~:@(~A~)" op))))
    `(progn
       (defun ,name (,message)
         (declare (ignorable ,message))
         ,@body)
       (setf (gethash ,op *handlers*) (cons ',name ,worker)))))

(defun request-fail (kind format &rest args)
  (error 'request-error :kind kind :message (apply #'format nil format args)))

(defun handle-message (message)
  "Answers one request."
  (let ((id (jget message "id"))
        (op (jget message "op")))
    (cond ((not (integerp id))
           (send-event "protocol-error" "message" "a request without an integer id"))
          ((not (stringp op))
           (reply-error id (error-object "invalid" "a request without an op")))
          (t
           (let ((handler (gethash op *handlers*)))
             (cond ((null handler)
                    (reply-error id (error-object "invalid" (format nil "unknown op ~S" op))))
                   ((cdr handler)
                    (enqueue-job id (lambda () (call-guarded-request (car handler) message))))
                   (t (answer-in-reader id (car handler) message))))))))

(defun call-guarded-request (function message)
  (handler-case (multiple-value-bind (status value)
                    (call-guarded (lambda () (funcall function message)))
                  (if (eq status :ok)
                      (values :ok (first value))
                      (values status value)))
    (request-error (e)
      (values :error (error-object (request-error-kind e) (request-error-message e))))))

(defun answer-in-reader (id function message)
  (catch 'request-abort
    (handler-case (let ((*in-request* t))
                    (reply id (funcall function message)))
      (request-error (e)
        (reply-error id (error-object (request-error-kind e) (request-error-message e))))
      (error (e)
        (reply-error id (describe-condition e :backtrace nil))))))

(defun string-arg (message key &optional default)
  (let ((value (jget message key default)))
    (unless (or (stringp value) (eq value default))
      (request-fail "invalid" "~A must be a string" key))
    value))

(defun find-package-arg (message)
  (let ((name (string-arg message "package" "CL-USER")))
    (or (find-package name)
        (find-package (string-upcase name))
        (request-fail "invalid" "no package named ~A" name))))

(defun read-forms (text package)
  "Every form of TEXT, read in PACKAGE.  Text that does not read is a bad request, not an
error of the user's program: nothing has run yet."
  (let ((*package* package)
        (forms '()))
    (handler-case
        (with-input-from-string (in text)
          (loop for form = (read in nil in)
                until (eq form in)
                do (push form forms)))
      (end-of-file ()
        (request-fail "invalid" "the form ends too early (a closing parenthesis or quote is missing): ~A"
                      text))
      (reader-error (condition)
        (let ((text (princ-to-string condition)))
          ;; its first line says what is wrong; the rest describes the string stream
          (request-fail "invalid" "the form cannot be read: ~A"
                        (subseq text 0 (position #\Newline text))))))
    (nreverse forms)))

(defun eval-text (text package)
  (let ((values '()))
    (let ((*package* package))
      (dolist (form (read-forms text package))
        (setf values (multiple-value-list (eval form)))))
    values))

(define-request "eval" (message :worker t)
  (let* ((text (or (string-arg message "form") (request-fail "invalid" "eval needs a form")))
         (package (find-package-arg message))
         (values (eval-text text package)))
    (obj "values" (let ((*package* package))
                    (mapcar #'printed-value values)))))

(defparameter *value-text-limit* 100000
  "Characters of a printed value sent to the app: a huge list must not freeze a console.")

(defun printed-value (value)
  (let* ((*print-pretty* t)
         (*print-length* 1000)
         (*print-level* 40)
         (*print-circle* t)
         (text (prin1-to-string value)))
    (if (> (length text) *value-text-limit*)
        (format nil "~A … [~D more characters]" (subseq text 0 *value-text-limit*)
                (- (length text) *value-text-limit*))
        text)))

(define-request "load" (message :worker t)
  (let ((file (or (string-arg message "file") (request-fail "invalid" "load needs a file"))))
    (unless (probe-file file)
      (request-fail "invalid" "no such file: ~A" file))
    (load file)
    (note-load :file file)
    (obj)))

(define-request "load-system" (message :worker t)
  (let ((system (or (string-arg message "system") (request-fail "invalid" "load-system needs a system"))))
    (require :asdf)
    (load-system-instrumented system)
    (obj)))

(define-request "list-packages" (message)
  (obj "packages" (sort (mapcar #'package-name (list-all-packages)) #'string<)))

(define-request "interrupt" (message)
  (obj "interrupted" (if (interrupt-worker) :true :false)))

(define-request "ping" (message)
  (obj))

(define-request "quit" (message)
  (setf *quitting* t)
  (obj))

(define-request "detach" (message)
  ;; The connection ends after this reply; serve-connection then cleans up.
  (setf *quitting* t)
  (obj))

(defun hello ()
  (send-event "hello"
              "protocol" +protocol-version+
              "sbcl_version" (lisp-implementation-version)
              "pid" (sb-posix-getpid)
              "attached" (if *attached* :true :false)
              "name" (image-name)
              "uptime" (- (get-universal-time) *started-at*)
              "features" (remove nil (list (and (member :sb-thread *features*) "threads")
                                           (and (find-package "SB-SPROF") "sb-sprof")
                                           (and (aprof-available-p) "sb-aprof")
                                           "sb-profile"))
              "instrument_consing" (if *instrument-consing* :true :false)))

(defun sb-posix-getpid ()
  (sb-unix:unix-getpid))

;;; The channel

(defun open-channel ()
  "The protocol streams: fd SBCL_PROFILER_FD when the app passed one, else (SBCL_PROFILER_STDIO)
stdin/stdout (then
fd 1 is pointed at stderr so that stray writes cannot corrupt the protocol)."
  (let ((fd-text (sb-posix-getenv "SBCL_PROFILER_FD")))
    (if fd-text
        (let ((fd (parse-integer fd-text)))
          (values (sb-sys:make-fd-stream fd :input t :external-format :utf-8 :buffering :full)
                  (sb-sys:make-fd-stream fd :output t :external-format :utf-8 :buffering :full)))
        (let ((in (sb-unix:unix-dup 0))
              (out (sb-unix:unix-dup 1)))
          (sb-alien:alien-funcall
           (sb-alien:extern-alien "dup2" (function sb-alien:int sb-alien:int sb-alien:int)) 2 1)
          (values (sb-sys:make-fd-stream in :input t :external-format :utf-8 :buffering :full)
                  (sb-sys:make-fd-stream out :output t :external-format :utf-8 :buffering :full))))))

(defun sb-posix-getenv (name)
  (sb-ext:posix-getenv name))

(defun start-worker ()
  (setf *worker* (sb-thread:make-thread #'worker-loop :name "workload")))

(defun image-name ()
  (let ((argv sb-ext:*posix-argv*))
    (or (loop for (option value) on argv
              when (and (member option '("--load" "--script") :test #'string=) value)
                return (file-namestring value))
        (and argv (file-namestring (first argv)))
        "sbcl")))

(defun read-bounded-line (stream)
  "A line of at most *MAX-LINE-LENGTH* characters, or NIL at the end of the stream; a longer
line signals an error (the connection is then closed)."
  (let ((buffer (make-string-output-stream))
        (length 0))
    (loop (let ((char (read-char stream nil nil)))
            (cond ((null char)
                   (return (and (plusp length) (get-output-stream-string buffer))))
                  ((char= char #\Newline)
                   (return (get-output-stream-string buffer)))
                  ((>= (incf length) *max-line-length*)
                   (error "a request line longer than ~D characters" *max-line-length*))
                  (t (write-char char buffer)))))))

(defun serve (in)
  "Reads requests from IN until the end, a quit or a detach."
  (loop until *quitting*
        do (let ((line (handler-case (read-bounded-line in)
                         (error (e)
                           (send-event "protocol-error" "message" (condition-text e))
                           (return)))))
             (unless line (return))
             (let ((message (handler-case (parse-json line)
                              (json-error (e)
                                (send-event "protocol-error" "message" (json-error-message e))
                                nil))))
               (when message
                 (handle-message message))))))

(defun main ()
  (install-debugger-hook)
  (install-gc-hook)
  (setup-instrument-consing)
  (multiple-value-bind (in out) (open-channel)
    (setf *output* out
          *reader-thread* sb-thread:*current-thread*)
    (start-worker)
    (hello)
    (serve in)
    (flush-console)
    (sb-ext:exit :code 0 :abort t)))
