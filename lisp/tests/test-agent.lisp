;;;; test-agent.lisp: tests of the agent, run inside SBCL; prints TAP.
;;;;
;;;;   SBCL_PROFILER_NO_MAIN=1 sbcl --non-interactive --no-sysinit --no-userinit \
;;;;        --load lisp/tests/test-agent.lisp

(defpackage #:sbcl-profiler-agent-tests
  (:use #:common-lisp #:sbcl-profiler-agent)
  (:shadowing-import-from #:sbcl-profiler-agent #:listen))

(in-package #:sbcl-profiler-agent-tests)

(defvar *tests* '())
(defvar *failures* 0)

(defmacro deftest (name &body body)
  `(progn (defun ,name () ,@body)
          (setf *tests* (append (remove ',name *tests*) (list ',name)))))

(defun check (ok description &rest args)
  (unless ok
    (error "~?" description args)))

(defun run-tests ()
  (format t "1..~D~%" (length *tests*))
  (loop for test in *tests*
        for i from 1
        do (let ((failure (handler-case (progn (funcall test) nil)
                            (serious-condition (c) (princ-to-string c)))))
             (if failure
                 (progn (incf *failures*)
                        (format t "not ok ~D - ~(~A~)~%# ~A~%" i test
                                (substitute #\Space #\Newline failure)))
                 (format t "ok ~D - ~(~A~)~%" i test))))
  (finish-output)
  (sb-ext:exit :code (if (zerop *failures*) 0 1) :abort t))

;;; JSON

(deftest json-round-trips-strings
  (let* ((text (coerce (list #\a #\" #\\ #\Newline #\Tab (code-char 1) (code-char 233)
                             (code-char #x1F600) #\;)
                       'string))
         (json (json-string text)))
    (check (string= (parse-json json) text) "round trip of ~S gave ~S" text (parse-json json))
    (check (search "\\u0001" json) "control characters are escaped: ~A" json)))

(deftest json-reads-surrogate-pairs
  (check (string= (parse-json "\"\\ud83d\\ude00x\"") (coerce (list (code-char #x1F600) #\x) 'string))
         "a surrogate pair is one character"))

(deftest json-reads-objects-arrays-numbers
  (let ((value (parse-json "{\"a\": [1, -2.5e1, true, false, null], \"b\": {}}")))
    (check (equal (jget value "a") '(1 -25d0 :true :false :null)) "array: ~S" (jget value "a"))
    (check (equal (jget value "b") '(:object)) "empty object: ~S" (jget value "b"))
    (check (eq (jget value "missing" :none) :none) "missing member")))

(deftest json-rejects-bad-text
  (dolist (bad '("{\"a\" 1}" "[1,]" "\"abc" "tru" "{} x" "[1 2]"))
    (check (handler-case (progn (parse-json bad) nil)
             (error () t))
           "~S should not parse" bad)))

(deftest json-writes-integers
  (let ((numbers (list 0 7 -5 10 123456789 most-positive-fixnum most-negative-fixnum (expt 2 70))))
    (check (string= (json-string numbers) (format nil "[~{~D~^,~}]" numbers))
           "~A" (json-string numbers))))

(deftest json-writes-floats-without-exponent-markers
  (let ((text (json-string (list 0.5d0 1.0f0 1d-7 12))))
    (check (string= (substitute #\e #\E text) text) "~A" text)
    (check (equal (parse-json text) (list 0.5d0 1d0 1d-7 12)) "~A" text)))

;;; Names

(defpackage #:workload (:use #:common-lisp))

(deftest names-are-package-qualified
  (let ((*package* (find-package "WORKLOAD")))
    (check (string= (printed-name (intern "FIB" "WORKLOAD")) "WORKLOAD::FIB") "symbol")
    (check (string= (printed-name (list 'setf (intern "WEIRD-PLACE" "WORKLOAD")))
                    "(SETF WORKLOAD::WEIRD-PLACE)")
           "setf name")
    (check (string= (printed-name (intern (format nil "weird;name~%x") "WORKLOAD"))
                    (format nil "WORKLOAD::|weird;name~%x|"))
           "odd symbol")))

(deftest frame-names-strip-entry-points
  (let ((xep (find-symbol "XEP" "SB-C")))
    (check (equal (sbcl-profiler-agent::strip-wrapper (list xep 'car)) 'car) "xep")
    (check (string= (frame-name "foreign function alloc") "foreign function alloc") "string")
    (check (string= (frame-name nil) "foreign function <unknown>") "nil")))

;;; Errors

(deftest errors-carry-type-text-and-backtrace
  (let ((result (multiple-value-list
                 (sbcl-profiler-agent::call-guarded (lambda () (car (eval '(identity 1))))))))
    (check (eq (first result) :error) "an error: ~S" result)
    (check (search "TYPE-ERROR" (jget (second result) "type")) "type ~S" (jget (second result) "type"))
    (check (plusp (length (jget (second result) "message"))) "message")
    (check (consp (jget (second result) "backtrace")) "backtrace")))

(deftest stack-exhaustion-is-survived
  (let ((result (multiple-value-list
                 (sbcl-profiler-agent::call-guarded
                  (lambda () (labels ((f (n) (1+ (f n)))) (f 1)))))))
    (check (eq (first result) :error) "an error: ~S" result)
    (check (search "EXHAUSTED" (jget (second result) "type")) "type ~S" (jget (second result) "type"))
    (check (equal (multiple-value-list (sbcl-profiler-agent::call-guarded (lambda () (+ 1 2))))
                  '(:ok (3)))
           "usable afterwards")))

;;; The stacks column

(defun decode-numbers (text)
  "The numbers of a packed column (stacks or paths), in order."
  (let ((digits "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        (pos 0)
        (numbers '()))
    (loop while (< pos (length text))
          do (let ((n 0) (shift 0))
               (loop (let ((digit (position (char text pos) digits)))
                       (check digit "~S at ~D is no digit" (char text pos) pos)
                       (incf pos)
                       (incf n (ash (logand digit 31) shift))
                       (incf shift 5)
                       (when (< digit 32) (return))))
               (push n numbers)))
    (nreverse numbers)))

(defun decode-stacks (text)
  "The stacks column of a recording as a list of (thread count frame-ids), ids outermost first."
  (let ((numbers (decode-numbers text))
        (previous '())
        (stacks '()))
    (flet ((next () (pop numbers)))
      (loop while numbers
            do (let* ((thread (next)) (count (next)) (shared (next)) (n (next))
                      (frames (append (subseq previous 0 shared)
                                      (loop repeat n collect (next)))))
                 (push (list thread count frames) stacks)
                 (setf previous frames))))
    (nreverse stacks)))

(defun recorded-stacks (result)
  "Every stack of the stop reply's batches, in order."
  (loop for batch in (jget result "batches")
        append (let ((stacks (decode-stacks (jget batch "stacks"))))
                 (check (= (length stacks) (jget batch "stack_count"))
                        "~D stacks, stack_count ~D" (length stacks) (jget batch "stack_count"))
                 stacks)))

(defun recorded-frames (result)
  "The frames of the stop reply's batches, by id: each batch lists the frames new in it."
  (let ((frames (loop for batch in (jget result "batches") append (jget batch "frames"))))
    (loop for frame in frames
          for id from 0
          do (check (= (jget frame "id") id) "frame ids follow on: ~S" frame))
    frames))

(deftest stacks-column-shares-prefixes
  (let* ((harvest (sbcl-profiler-agent::make-harvest))
         (trie (sbcl-profiler-agent::harvest-trie harvest))
         (big (- (expt 2 40) 3)))
    (flet ((add (frames count)
             (let ((node (aref (sbcl-profiler-agent::harvest-roots harvest) 0)))
               (dolist (frame frames)
                 (setf node (sbcl-profiler-agent::trie-child trie node frame)))
               (incf (aref (sbcl-profiler-agent::trie-count trie) node) count))))
      (vector-push-extend (sbcl-profiler-agent::trie-add trie sbcl-profiler-agent::+no-node+ 0)
                          (sbcl-profiler-agent::harvest-roots harvest))
      (add '(1 2 3) 2)
      (add '(1 2 40000) big)
      (add '(1 2) 1)
      (add '(5) 1)
      ;; a parent with many children finds them through a hash table
      (dotimes (i 20) (add (list 6 i) 1))
      (dotimes (i 20) (add (list 6 i) 1))
      (let* ((column (sbcl-profiler-agent::trie-column harvest))
             (text (subseq (sbcl-profiler-agent::column-text column)
                           0 (sbcl-profiler-agent::column-end column)))
             (stacks (decode-stacks text))
             (expected (append (list (list 0 2 '(1 2 3)) (list 0 big '(1 2 40000))
                                     (list 0 1 '(1 2)) (list 0 1 '(5)))
                               (loop for i below 20 collect (list 0 2 (list 6 i))))))
        (check (= (length stacks) (sbcl-profiler-agent::column-count column) 24)
               "24 stacks: ~S" stacks)
        (check (null (set-exclusive-or stacks expected :test #'equal)) "stacks ~S" stacks)
        ;; 24 stacks of 4 numbers, 28 frames: the shared prefixes are not repeated
        (check (< (length text) (* 2 (+ (* 4 24) 28))) "~D characters: ~A" (length text) text)))))

;;; Aggregating traces: *EXTRA-TRACES* feeds HARVEST-BATCH traces as SBCL's buffers hold them

(deftest traces-that-share-outer-frames-aggregate-as-walked-from-the-root
  ;; consecutive traces take the nodes of the outer frames they share with the trace before, in
  ;; the same thread only, and with the same frames at the same depth only
  (let* ((funs (mapcar (lambda (f) (sb-di::fun-debug-fun f))
                       (list #'car #'cdr #'cons #'list #'append)))
         (start (list "foreign function new_thread_trampoline"
                      (sb-di::fun-debug-fun #'sb-thread::run)))
         (stop nil)
         (threads (loop for name in '("trace test a" "trace test b")
                        collect (sb-thread:make-thread (lambda () (loop until stop do (sleep 0.01)))
                                                       :name name)))
         (harvest (sbcl-profiler-agent::make-harvest)))
    (flet ((trace* (count &rest indices)
             ;; outermost first, as (f ...) reads; the trace holds them innermost first
             (let ((infos (reverse (append start (mapcar (lambda (i) (nth i funs)) indices)))))
               (cons (coerce (loop for info in infos append (list info 0)) 'simple-vector)
                     count)))
           (names (stack)
             (mapcar (lambda (id)
                       (let ((frame (aref (sbcl-profiler-agent::harvest-frames harvest) id)))
                         (subseq (jget frame "name") 0 3)))
                     (third stack))))
      (let ((traces (list (cons (first threads)
                                (list (trace* 1 0 1 2) (trace* 2 0 1 3) (trace* 1 0 4)
                                      (trace* 1 0 1 2) (trace* 4 0 1) (trace* 1 1 0 2)))
                          (cons (second threads)
                                (list (trace* 3 0 1 2) (trace* 1 0 1 2 3))))))
        (unwind-protect
             (let ((sbcl-profiler-agent::*extra-traces* (lambda () traces)))
               (sbcl-profiler-agent::harvest-batch harvest :cpu))
          (setf stop t)
          (mapc #'sb-thread:join-thread threads))
        (let* ((column (sbcl-profiler-agent::trie-column harvest))
               (stacks (decode-stacks (subseq (sbcl-profiler-agent::column-text column)
                                              0 (sbcl-profiler-agent::column-end column))))
               (named (mapcar (lambda (stack) (list (first stack) (second stack) (names stack)))
                              stacks)))
          (check (= (sbcl-profiler-agent::harvest-samples harvest) 14) "14 samples")
          (check (= (sbcl-profiler-agent::harvest-kept harvest) 14) "14 kept")
          (check (null (set-exclusive-or
                        named
                        '((0 2 ("CAR" "CDR" "CON")) (0 2 ("CAR" "CDR" "LIS")) (0 1 ("CAR" "APP"))
                          (0 4 ("CAR" "CDR")) (0 1 ("CDR" "CAR" "CON"))
                          (1 3 ("CAR" "CDR" "CON")) (1 1 ("CAR" "CDR" "CON" "LIS")))
                        :test #'equal))
                 "stacks ~S" named))))))

;;; Requests, answered in-process

(defun answer (op &rest members)
  "Sends a request to the agent's reader-side handler; returns the reply object."
  (let ((out (make-string-output-stream)))
    (setf sbcl-profiler-agent::*output* out)
    (handle-message (list* :object (cons "id" 7) (cons "op" op)
                           (loop for (k v) on members by #'cddr collect (cons k v))))
    (parse-json (string-right-trim '(#\Newline) (get-output-stream-string out)))))

(deftest unknown-ops-are-refused
  (let ((reply (answer "frobnicate")))
    (check (eq (jget reply "ok") :false) "refused")
    (check (string= (jget (jget reply "error") "kind") "invalid") "kind")))

(deftest list-packages-lists-the-agent
  (let ((reply (answer "list-packages")))
    (check (member "SBCL-PROFILER-AGENT" (jget (jget reply "result") "packages") :test #'string=)
           "packages")))

(defun fib (n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(defun cons-a-lot (n) (let ((l '())) (dotimes (i n (length l)) (push (list i i) l))))

(deftest deterministic-recording-counts-calls
  (let ((start (answer "start-recording" "mode" "deterministic"
                       "names" (list "SBCL-PROFILER-AGENT-TESTS::FIB"))))
    (check (eq (jget start "ok") :true) "started: ~S" start)
    (fib 15)
    (let* ((reply (answer "stop-recording"))
           (functions (jget (jget reply "result") "functions"))
           (fib (find "SBCL-PROFILER-AGENT-TESTS::FIB" functions
                      :key (lambda (f) (jget f "name")) :test #'string=)))
      (check fib "FIB is reported: ~S" functions)
      ;; fib(n) makes 2 fib(n+1) - 1 calls
      (check (= (jget (jget fib "total") "calls") 1973) "calls ~S" (jget fib "total"))
      (check (null (gethash 'fib sb-profile::*profiled-fun-name->info*)) "uninstrumented"))))

(deftest unknown-profile-names-are-refused
  (let ((reply (answer "start-recording" "mode" "deterministic" "names" (list "NO-SUCH-PACKAGE-X"))))
    (check (eq (jget reply "ok") :false) "refused")
    (check (search "NO-SUCH-PACKAGE-X" (jget (jget reply "error") "message")) "names the culprit")))

(deftest statistical-recording-aggregates-stacks
  (let ((start (answer "start-recording" "mode" "cpu" "interval" 0.001d0)))
    (check (eq (jget start "ok") :true) "started: ~S" start)
    (let ((end (+ (get-internal-real-time) (* 0.3 internal-time-units-per-second))))
      (loop while (< (get-internal-real-time) end) do (fib 20)))
    (let* ((result (jget (answer "stop-recording") "result"))
           (frames (recorded-frames result))
           (stacks (recorded-stacks result))
           (fib-id (position "SBCL-PROFILER-AGENT-TESTS::FIB" frames
                             :key (lambda (f) (jget f "name")) :test #'string=)))
      (check fib-id "FIB is a frame")
      (check (plusp (jget result "samples")) "samples")
      (check (= (reduce #'+ stacks :key #'second)
                (reduce #'+ (jget result "batches") :key (lambda (b) (jget b "kept_samples"))))
             "counts add up")
      (check (some (lambda (stack) (member fib-id (third stack))) stacks) "FIB is on a stack")
      (check (search "test-agent.lisp" (or (jget (nth fib-id frames) "file") ""))
             "FIB's file: ~S" (nth fib-id frames)))))

(deftest trace-decoding-agrees-with-sb-sprof
  (sb-sprof:start-profiling :mode :cpu :sample-interval 0.001 :threads :all)
  (let ((end (+ (get-internal-real-time) (* 0.2 internal-time-units-per-second))))
    (loop while (< (get-internal-real-time) end) do (fib 20) (cons-a-lot 1000)))
  (sb-sprof:stop-profiling)
  (let ((code-map (sb-sprof::build-serialno-to-code-map))
        (harvest (sbcl-profiler-agent::make-harvest))
        (traces 0))
    (flet ((same (a b)
             (or (eql a b) (and (stringp a) (stringp b) (string= a b)))))
      (sb-sprof::call-with-each-profile-buffer
       (lambda (sap thread memory-usage)
         (declare (ignore thread memory-usage))
         (let ((ours (sbcl-profiler-agent::extract-traces sap harvest))
               (theirs (sb-sprof::extract-traces sap code-map)))
           (check (= (length ours) (length theirs)) "~D traces, sb-sprof ~D"
                  (length ours) (length theirs))
           (loop for (locs . count) in ours
                 for (their-locs . their-count) in theirs
                 do (incf traces)
                    (check (= count their-count) "multiplicity ~D, sb-sprof ~D" count their-count)
                    (check (and (= (length locs) (length their-locs))
                                (every #'same locs their-locs))
                           "~S, sb-sprof ~S" locs their-locs))))))
    (setf (sb-alien:extern-alien "sb_sprof_enabled" sb-alien:int) 0)
    (check (plusp traces) "no traces")))

(deftest allocation-samples-start-at-lisp-frames
  (answer "start-recording" "mode" "alloc")
  (cons-a-lot 2000000)
  (let* ((result (jget (answer "stop-recording") "result"))
         (frames (recorded-frames result)))
    (check (plusp (length (recorded-stacks result))) "alloc samples")
    (dolist (stack (recorded-stacks result))
      (let ((leaf (jget (nth (car (last (third stack))) frames) "name")))
        (check (not (or (search "ALLOC-TRAMP" leaf) (search "foreign function" leaf)))
               "leaf ~A is the allocator's" leaf)))))

(defun split-lines (text)
  (with-input-from-string (in text)
    (loop for line = (read-line in nil nil) while line collect line)))

(defun replies-within (seconds count out)
  "The first COUNT replies the worker writes to OUT, waiting at most SECONDS."
  (let ((text "")
        (deadline (+ (get-internal-real-time) (* seconds internal-time-units-per-second))))
    (loop (sb-thread:with-mutex (sbcl-profiler-agent::*output-lock*)
            (setf text (concatenate 'string text (get-output-stream-string out))))
          (when (or (>= (count #\Newline text) count) (> (get-internal-real-time) deadline))
            (return (mapcar #'parse-json
                            (split-lines text))))
          (sleep 0.01))))

(deftest interrupt-stops-the-running-job-and-the-queued-ones
  (let ((out (make-string-output-stream)))
    (setf sbcl-profiler-agent::*output* out)
    (unless sbcl-profiler-agent::*worker*
      (sbcl-profiler-agent::start-worker))
    (handle-message (list :object (cons "id" 1) (cons "op" "eval") (cons "form" "(loop)")))
    (handle-message (list :object (cons "id" 2) (cons "op" "eval") (cons "form" ":never")))
    (sleep 0.2)
    (check (sbcl-profiler-agent::interrupt-worker) "there was a job to interrupt")
    (let ((replies (replies-within 5 2 out)))
      (check (= (length replies) 2) "two replies: ~S" replies)
      (dolist (reply replies)
        (check (string= (jget (jget reply "error") "kind") "interrupted") "interrupted: ~S" reply)))
    (handle-message (list :object (cons "id" 3) (cons "op" "eval") (cons "form" ":later")))
    (let ((reply (first (replies-within 5 1 out))))
      (check (equal (jget (jget reply "result") "values") '(":LATER")) "later jobs run: ~S" reply))))

;;; Memory

(deftest gc-hook-allocates-nothing
  (sbcl-profiler-agent::record-gc)     ; the first call may still resolve things lazily
  (let ((before (sb-ext:get-bytes-consed)))
    (dotimes (i 1000) (sbcl-profiler-agent::record-gc))
    (let ((consed (- (sb-ext:get-bytes-consed) before)))
      (check (zerop consed) "1000 calls of the GC hook allocated ~D bytes" consed))))

(deftest gc-ring-keeps-the-latest-and-counts-the-dropped
  ;; the agent's main installs the hook; loaded for these tests, nothing did
  (sbcl-profiler-agent::install-gc-hook)
  (let ((cursor (sbcl-profiler-agent::make-gc-cursor)))
    (sb-ext:gc :full t)
    (let ((events (sbcl-profiler-agent::take-gc-events cursor)))
      (check (= (length events) 1) "one collection: ~S" events)
      (check (>= (third (first events)) 5) "a full GC collects generation 5: ~S" events)
      (check (>= (fourth (first events)) (fifth (first events))) "before >= after: ~S" events))
    (dotimes (i 5000) (sbcl-profiler-agent::record-gc))
    (let ((events (sbcl-profiler-agent::take-gc-events cursor)))
      (check (= (length events) sbcl-profiler-agent::+gc-ring-size+) "~D events" (length events))
      (check (= (sbcl-profiler-agent::gc-cursor-dropped cursor)
                (- 5000 sbcl-profiler-agent::+gc-ring-size+))
             "dropped ~D" (sbcl-profiler-agent::gc-cursor-dropped cursor))
      (check (null (sbcl-profiler-agent::take-gc-events cursor)) "taken once"))))

(deftest heap-census-counts-live-objects-by-type
  (defparameter cl-user::*census-keep* (loop repeat 50000 collect (make-array 3)))
  (let* ((census (sbcl-profiler-agent::heap-census))
         (vectors (assoc "SIMPLE-VECTOR" census :test #'string=))
         (conses (assoc "CONS" census :test #'string=)))
    (check (and vectors (>= (second vectors) 50000)) "simple vectors: ~S" vectors)
    (check (and conses (>= (second conses) 50000)) "conses: ~S" conses)
    (check (= (third conses) (* 16 (second conses))) "a cons is 16 bytes: ~S" conses)))


(deftest streamed-batches-follow-on
  ;; a small limit and a short drain interval: the recording streams past the limit
  ;; wall-clock samples, so that a busy machine still gives them
  (let* ((start (answer "start-recording" "mode" "time" "interval" 0.005d0 "max_samples" 100
                        "stream" :true "drain_interval" 0.1d0))
         (out (make-string-output-stream)))
    (check (eq (jget start "ok") :true) "started: ~S" start)
    (setf sbcl-profiler-agent::*output* out)
    (let ((end (+ (get-internal-real-time) (* 1.0 internal-time-units-per-second))))
      (loop while (< (get-internal-real-time) end) do (fib 20)))
    (let* ((events (sb-thread:with-mutex (sbcl-profiler-agent::*output-lock*)
                     (mapcar #'parse-json (split-lines (get-output-stream-string out)))))
           (result (jget (answer "stop-recording") "result"))
           (batches (append events (jget result "batches")))
           (samples (reduce #'+ batches :key (lambda (b) (jget b "samples")))))
      (check (> (length events) 1) "batches streamed: ~D" (length events))
      (check (every (lambda (e) (equal (jget e "event") "samples")) events) "events ~S" events)
      (loop for (a b) on batches while b
            do (check (= (1+ (jget a "batch")) (jget b "batch")) "batch numbers follow on")
               (check (<= (jget a "t1") (jget b "t0")) "times follow on"))
      (check (= samples (jget result "samples")) "~D samples in batches, ~D in all"
             samples (jget result "samples"))
      (check (> samples 100) "past the limit: ~D samples" samples)
      (check (eq (jget result "truncated") :false) "not truncated"))))

(deftest a-recording-that-does-not-stream-stops-at-the-limit
  (answer "start-recording" "mode" "cpu" "interval" 0.001d0 "max_samples" 10)
  (let ((end (+ (get-internal-real-time) (* 0.3 internal-time-units-per-second))))
    (loop while (< (get-internal-real-time) end) do (fib 20)))
  (let ((result (jget (answer "stop-recording") "result")))
    (check (<= (jget result "samples") 10) "~D samples" (jget result "samples"))
    (check (eq (jget result "truncated") :true) "truncated")
    (check (equal (jget result "end_reason") "sample-limit") "end_reason ~S"
           (jget result "end_reason"))))

(load (merge-pathnames "test-deterministic.lisp" *load-truename*))

(run-tests)
