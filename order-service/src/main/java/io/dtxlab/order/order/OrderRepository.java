package io.dtxlab.order.order;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.repository.Repository;

interface OrderRepository extends Repository<CustomerOrder, String> {

    List<CustomerOrder> findAllByOrderByCreatedAtDesc(Limit limit);

    Optional<CustomerOrder> findById(String id);

    Optional<CustomerOrder> findByTxId(String txId);

    CustomerOrder save(CustomerOrder order);

    List<CustomerOrder> findAll();

    List<CustomerOrder> findAllByStatus(String status);
}
