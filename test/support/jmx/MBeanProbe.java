// A tiny JVM for test/integration/jmxExporter.test.ts: registers MBeans named as Debezium's connector, Kafka
// Connect's task and the Kafka broker register theirs, with known values, then waits to be scraped. Run as a single-file source program
// (`java -javaagent:…jmx_prometheus_javaagent.jar=… MBeanProbe.java`); stops by itself after 120 s.
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;

public class MBeanProbe {
  public interface StreamingMBean {
    long getMilliSecondsBehindSource();
    int getQueueRemainingCapacity();
    long getTotalNumberOfEventsSeen();
    boolean getConnected();
  }

  public interface TaskMBean {
    double getBatchSizeAvg();
  }

  public static class Streaming implements StreamingMBean {
    public long getMilliSecondsBehindSource() { return 1234L; }
    public int getQueueRemainingCapacity() { return 8192; }
    public long getTotalNumberOfEventsSeen() { return 42L; }
    public boolean getConnected() { return true; }
  }

  public interface MeterMBean {
    long getCount();
  }

  public static class Meter implements MeterMBean {
    public long getCount() { return 99L; }
  }

  public static class Task implements TaskMBean {
    public double getBatchSizeAvg() { return 7.5; }
  }

  public static void main(String[] args) throws Exception {
    var server = ManagementFactory.getPlatformMBeanServer();
    server.registerMBean(new StandardMBean(new Streaming(), StreamingMBean.class),
        new ObjectName("debezium.postgres:type=connector-metrics,context=streaming,server=obsprobe"));
    server.registerMBean(new StandardMBean(new Task(), TaskMBean.class),
        new ObjectName("kafka.connect:type=source-task-metrics,connector=obsprobe,task=0"));
    server.registerMBean(new StandardMBean(new Meter(), MeterMBean.class),
        new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec"));
    System.out.println("mbeans registered");
    Thread.sleep(120_000);
  }
}
