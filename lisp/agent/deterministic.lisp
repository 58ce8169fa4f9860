;;;; deterministic.lisp: deterministic recordings (sb-profile), with the call paths among the
;;;; instrumented functions and seconds corrected as sb-profile:report corrects them.
;;;;
;;;; Each instrumented function wears two encapsulations: sb-profile's (calls, time, consing,
;;;; GC time per function) and, outside it, a path wrapper of ours that counts calls and raw
;;;; time per call path.  The path wrapper allocates nothing, so sb-profile's consing figures
;;;; stay exact; its cost falls outside sb-profile's timed interval, where sb-profile charges
;;;; it to the caller, so the overhead is calibrated with both wrappers in place (as
;;;; sb-profile::compute-overhead does it, see CALIBRATE-OVERHEAD) and that calibration is
;;;; what sb-profile:report uses while the recording runs.

(in-package #:sbcl-profiler-agent)

;;; Call paths: a trie of paths shared by all threads, each thread's current path in a special
;;; variable.  Nodes live in chunks that never move, so a thread counting a call never races
;;; a thread that adds a node.  Node 0 is the root (no instrumented caller).

(defconstant +chunk-bits+ 12)
(defconstant +chunk-size+ (ash 1 +chunk-bits+))
(defconstant +max-chunks+ 4096 "At most 16 M paths; calls on further paths go to their parent.")

(deftype word-chunk () '(simple-array sb-ext:word (#.+chunk-size+)))
(deftype u32-chunk () '(simple-array (unsigned-byte 32) (#.+chunk-size+)))

(sb-ext:defglobal **path-calls** (make-array +max-chunks+ :initial-element nil))
(sb-ext:defglobal **path-nanoseconds** (make-array +max-chunks+ :initial-element nil))
(sb-ext:defglobal **path-parents** (make-array +max-chunks+ :initial-element nil))
(sb-ext:defglobal **path-functions** (make-array +max-chunks+ :initial-element nil))
(sb-ext:defglobal **path-count** 1)
(sb-ext:defglobal **path-index**            ; parent × 2^20 + function -> node
    (make-hash-table :test 'eql :synchronized t))
(sb-ext:defglobal **path-lock** (sb-thread:make-mutex :name "sbcl-profiler paths"))

(defvar *current-path* 0)
(declaim (type fixnum *current-path* **path-count**)
         (type simple-vector **path-calls** **path-nanoseconds** **path-parents**
               **path-functions**))

(defconstant +max-functions+ (ash 1 20))

(declaim (inline clock-nanoseconds))
(defun clock-nanoseconds ()
  "CLOCK_MONOTONIC in nanoseconds, a fixnum: no float consed."
  (multiple-value-bind (seconds nanoseconds) (sb-unix::clock-gettime 1)
    (the fixnum (+ (* seconds 1000000000) nanoseconds))))

(defun reset-paths ()
  (sb-thread:with-mutex (**path-lock**)
    (fill **path-calls** nil)
    (fill **path-nanoseconds** nil)
    (fill **path-parents** nil)
    (fill **path-functions** nil)
    (clrhash **path-index**)
    (setf **path-count** 1)
    (new-path-chunk 0)))

(defun new-path-chunk (chunk)
  (setf (svref **path-parents** chunk)
        (make-array +chunk-size+ :element-type '(unsigned-byte 32) :initial-element 0)
        (svref **path-functions** chunk)
        (make-array +chunk-size+ :element-type '(unsigned-byte 32) :initial-element 0)
        (svref **path-nanoseconds** chunk)
        (make-array +chunk-size+ :element-type 'sb-ext:word :initial-element 0)
        ;; last: a reader that sees the calls chunk sees the others
        (svref **path-calls** chunk)
        (make-array +chunk-size+ :element-type 'sb-ext:word :initial-element 0)))

(defun add-path (parent function)
  "The node of FUNCTION called from the path PARENT, made when missing."
  (declare (type fixnum parent function))
  (let ((key (+ (* parent +max-functions+) function)))
    (or (gethash key **path-index**)
        (sb-thread:with-mutex (**path-lock**)
          (or (gethash key **path-index**)
              (let ((node **path-count**))
                (if (>= node (* +max-chunks+ +chunk-size+))
                    parent
                    (multiple-value-bind (chunk index) (floor node +chunk-size+)
                      (when (zerop index) (new-path-chunk chunk))
                      (setf (aref (the u32-chunk (svref **path-parents** chunk)) index) parent
                            (aref (the u32-chunk (svref **path-functions** chunk)) index) function
                            **path-count** (1+ node)
                            (gethash key **path-index**) node)))))))))

(declaim (inline path-count-call))
(defun path-count-call (node nanoseconds)
  (declare (type fixnum node nanoseconds) (optimize speed (safety 0)))
  (let ((chunk (ash node (- +chunk-bits+)))
        (index (logand node (1- +chunk-size+))))
    (sb-ext:atomic-incf (aref (the word-chunk (svref **path-calls** chunk)) index) 1)
    (when (plusp nanoseconds)
      (sb-ext:atomic-incf (aref (the word-chunk (svref **path-nanoseconds** chunk)) index)
                          nanoseconds))))

(defconstant +cache-size+ 64)
(defconstant +no-cached-parent+ (1- (ash 1 29)))

(defun make-path-wrapper (function-id)
  "The encapsulation that counts a call of function FUNCTION-ID on the current path.  Its own
cache maps the last parent paths it saw (direct-mapped by the parent's low bits) to their
child, so a call looks nothing up in the shared table unless its caller's path is new to it."
  (declare (type fixnum function-id))
  (let ((cache (make-array +cache-size+ :element-type '(unsigned-byte 62)   ; parent × 2^32 + node
                                        :initial-element (ash +no-cached-parent+ 32))))
    (lambda (function &rest args)
      (declare (optimize speed (safety 0)) (function function) (dynamic-extent args))
      (let* ((parent *current-path*)
             (slot (logand parent (1- +cache-size+)))
             (entry (aref cache slot))
             (node (if (= (ash entry -32) parent)
                       (logand entry #xFFFFFFFF)
                       (let ((node (add-path parent function-id)))
                         (declare (type fixnum node))
                         (setf (aref cache slot) (logior (ash parent 32) node))
                         node)))
             (start (clock-nanoseconds)))
        (declare (type fixnum parent node start))
        (let ((*current-path* node))
          (unwind-protect (apply function args)
            (path-count-call node (- (clock-nanoseconds) start))))))))

(defun install-path-wrapper (name function-id)
  (sb-ext:without-package-locks
    (sb-int:encapsulate name 'sbcl-profiler-path (make-path-wrapper function-id))))

(defun remove-path-wrapper (name)
  (sb-ext:without-package-locks
    (sb-int:unencapsulate name 'sbcl-profiler-path)))

;;; Overhead calibration: sb-profile::compute-overhead, with the path wrapper in place too

(defvar *calibration* nil "The overhead calibrated with both wrappers, once per image.")
(defvar *saved-overhead* :unbound "sb-profile::*overhead* before the recording.")

(defun calibrate-overhead ()
  "An sb-profile::overhead measured exactly as sb-profile::compute-overhead measures it, but
with the profiled calls going through the path wrapper as well: TOTAL then includes the
wrapper's cost, which sb-profile charges to the caller and compensates with TOTAL − INTERNAL
per nested call."
  (let ((name 'sb-profile::compute-overhead-aux)
        (iterations sb-profile::*timer-overhead-iterations*))
    (flet ((frob ()
             (let ((start (get-internal-run-time))
                   (fun (symbol-function name)))
               (declare (type function fun))
               (dotimes (i iterations)
                 (funcall fun fun))
               (/ (float (- (get-internal-run-time) start))
                  (float internal-time-units-per-second)
                  (float iterations)))))
      (let ((call (frob)) total internal)
        (unwind-protect
             (progn
               (sb-profile::profile-1-fun name)
               (install-path-wrapper name 0)
               (setf total (- (frob) call)))
          (remove-path-wrapper name)
          (let ((info (gethash name sb-profile::*profiled-fun-name->info*)))
            (setf internal (/ (float (nth-value 1 (funcall (sb-profile::profile-info-read-stats-fun
                                                           info))))
                              (float internal-time-units-per-second)
                              (float iterations))))
          (sb-profile::unprofile-1-fun name))
        (sb-profile::make-overhead :call call :total total :internal internal)))))

(defun install-calibration ()
  "Makes the combined calibration the one sb-profile:report uses, until the recording stops."
  (setf *saved-overhead* (if (boundp 'sb-profile::*overhead*) sb-profile::*overhead* :unbound))
  (let ((*debug-io* (make-broadcast-stream)))
    (setf *calibration* (or *calibration* (calibrate-overhead))))
  (setf sb-profile::*overhead* *calibration*))

(defun restore-calibration ()
  (sb-ext:without-package-locks
    (if (eq *saved-overhead* :unbound)
        (makunbound 'sb-profile::*overhead*)
        (setf sb-profile::*overhead* *saved-overhead*))))

;;; Instrumenting

(defparameter *unprofilable-packages* '("SBCL-PROFILER-AGENT" "SB-PROFILE" "SB-SPROF")
  "Instrumenting these would profile the profiler.")

(defvar *instrumented-names* #() "The instrumented function names; a path's function indexes it.")

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
  "Instruments every named function or package with sb-profile; returns its warnings."
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

(defun start-deterministic (names)
  "Instruments NAMES, calibrates, and starts counting paths; returns the warnings."
  (let ((warnings (instrument names)))
    (reset-paths)
    (install-calibration)
    (reset-paths)                       ; forget the calibration's own calls
    (setf *instrumented-names*
          (coerce (loop for name being the hash-keys of sb-profile::*profiled-fun-name->info*
                        collect name)
                  'simple-vector))
    (loop for name across *instrumented-names*
          for id from 0
          do (install-path-wrapper name id))
    (sb-profile:reset)
    warnings))

(defun stop-deterministic ()
  (loop for name across *instrumented-names*
        do (ignore-errors (remove-path-wrapper name)))
  (let ((*debug-io* (make-broadcast-stream)))
    (sb-profile:unprofile))
  (restore-calibration))

;;; Figures

(defstruct (figures (:type list))
  "One function's figures in one run, as sb-profile's read-stats-fun gives them."
  (calls 0) (ticks 0) (consing 0) (nested 0) (gc-ticks 0))

(defun deterministic-figures ()
  "name -> figures for every instrumented function, as an alist."
  (let ((rows '()))
    (maphash (lambda (name info)
               (push (cons name (multiple-value-list
                                 (funcall (sb-profile::profile-info-read-stats-fun info))))
                     rows))
             sb-profile::*profiled-fun-name->info*)
    rows))

(defun figures-object (figures)
  (obj "calls" (figures-calls figures)
       ;; sb-profile's own compensation, with the overhead its report uses now
       "seconds" (float (sb-profile::compensate-time (figures-calls figures)
                                                     (figures-ticks figures)
                                                     (figures-nested figures))
                        1d0)
       "raw_seconds" (ticks->seconds (figures-ticks figures))
       "bytes" (figures-consing figures)
       "gc_seconds" (ticks->seconds (figures-gc-ticks figures))))

(defun sum-figures (list)
  (apply #'mapcar #'+ (or list (list (make-figures)))))

(defun finished-runs (recording)
  "The figures of every run, newest first; a run cut short by a stop counts as one."
  (let ((runs (recording-runs recording))
        (current (deterministic-figures)))
    (if (or (null runs) (some (lambda (row) (plusp (figures-calls (cdr row)))) current))
        (cons current runs)
        runs)))

(defun snapshot-run ()
  "Deterministic recordings with several runs: keep this run's figures and start afresh."
  (let ((recording *recording*))
    (when (and recording (eq (recording-mode recording) :deterministic))
      (push (deterministic-figures) (recording-runs recording))
      (sb-profile:reset))))

(defun deterministic-function-object (name runs)
  "NAME's figures in total (the runs' figures compensated one by one and added up, as each run
is reported alone) and per run when there were several."
  (let ((per-run (mapcar (lambda (run)
                           (or (cdr (assoc name run :test #'equal)) (make-figures)))
                         runs)))
    (multiple-value-bind (file line)
        (let ((info (gethash name sb-profile::*profiled-fun-name->info*)))
          (and info (function-location (sb-profile::profile-info-encapsulated-fun info))))
      (let ((run-objects (mapcar #'figures-object per-run)))
        (apply #'obj "name" (printed-name name)
               "total" (sum-objects run-objects)
               "runs" (if (cdr runs) run-objects '())
               (and file (list "file" file "line" line)))))))

(defun sum-objects (objects)
  "The sum of figure objects, key by key."
  (apply #'obj (loop for key in '("calls" "seconds" "raw_seconds" "bytes" "gc_seconds")
                     append (list key (reduce #'+ objects :key (lambda (o) (jget o key)))))))

;;; The paths column: parent+1 (0 for a root), function, calls, raw self nanoseconds per path,
;;; in preorder, as numbers of the stacks column's digits (record.lisp)

(defun path-value (chunks node)
  (aref (svref chunks (ash node (- +chunk-bits+))) (logand node (1- +chunk-size+))))

(defun path-children ()
  "A vector: node -> its children, in creation order."
  (let ((children (make-array **path-count** :initial-element '())))
    (loop for node from (1- **path-count**) downto 1
          do (push node (svref children (path-value **path-parents** node))))
    children))

(defun paths-column (function-index)
  "The column of every path whose functions have an index in FUNCTION-INDEX (function id ->
position in the reply's functions), and its length.  Walked with a stack of its own: call
paths of deep recursion are deeper than the reader's control stack."
  (let* ((children (path-children))
         (column (make-column))
         (count 0)
         (stack (mapcar (lambda (root) (cons root nil)) (svref children 0))))
    (flet ((inclusive (node) (path-value **path-nanoseconds** node)))
      (loop while stack
            do (destructuring-bind (node . parent-position) (pop stack)
                 (let ((function (aref function-index (path-value **path-functions** node)))
                       (position count))
                   (when function
                     (incf count)
                     (column-reserve column 4)
                     (column-number column (if parent-position (1+ parent-position) 0))
                     (column-number column function)
                     (column-number column (path-value **path-calls** node))
                     (column-number column
                                    (max 0 (- (inclusive node)
                                              (reduce #'+ (svref children node)
                                                      :key #'inclusive)))))
                   (setf stack (append (mapcar (lambda (child)
                                                 (cons child (if function position parent-position)))
                                               (svref children node))
                                       stack))))))
    (values column count)))

(defun deterministic-result (recording)
  "The stop reply's members of a deterministic recording."
  (let* ((runs (reverse (finished-runs recording)))
         (called (loop for name across *instrumented-names*
                       when (some (lambda (run)
                                    (plusp (figures-calls
                                            (or (cdr (assoc name run :test #'equal))
                                                (make-figures)))))
                                  runs)
                         collect name))
         (function-index (map 'vector (lambda (name) (position name called :test #'equal))
                              *instrumented-names*))
         (overhead sb-profile::*overhead*))
    (multiple-value-bind (column count) (paths-column function-index)
      (obj "functions" (mapcar (lambda (name) (deterministic-function-object name runs)) called)
           "overhead" (obj "call" (float (sb-profile::overhead-internal overhead) 1d0)
                           "nested" (float (- (sb-profile::overhead-total overhead)
                                              (sb-profile::overhead-internal overhead))
                                           1d0))
           "paths" (make-raw-json-string :text (column-text column) :end (column-end column))
           "path_count" count))))
